import Foundation
import Testing
import Vapor
import VaporTesting
import Matching
@testable import App

/// The exports of proposals, working groups and a matching round's pairs: the same rules as
/// the members and needs exports (BOM, formulas neutralised, header in the user's language).
@Suite("CSV exports: proposals, working groups, rounds")
struct MoreExportTests {
    let python = ExportTests()

    @Test func proposalsExportHasEverySubmittedProposalAndNoDraft() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let draft = try await app.draft(member, title: "=下書きは出ない")
            let submitted = try await app.draft(member, title: "-提出済みの提案")
            try await app.force(submitted, to: .submitted)
            let staff = try await app.signedIn(as: Demo.staff)
            let (status, headers, body) = try await app.get("/staff/exports/proposals.csv", headers: staff)
            #expect(status == .ok)
            #expect(headers.first(name: .contentType) == "text/csv; charset=utf-8")
            #expect(body.hasPrefix("\u{FEFF}"))
            let rows = try python.pythonRows(body)
            #expect(rows.first?.prefix(3) == ["件名", "提案者", "状況"])
            let expected = try await app.count("SELECT count(*)::int FROM proposals WHERE submitted_at IS NOT NULL")
            #expect(rows.count == expected + 1)
            #expect(rows.contains { $0[0] == "'-提出済みの提案" && $0[2] == "提出済み" && $0[5] == "麻生区" })
            #expect(!rows.contains { $0[0].contains("下書きは出ない") })
            _ = draft
            let (_, _, en) = try await app.get("/staff/exports/proposals.csv?status=submitted", headers: inEnglish(staff))
            let englishRows = try python.pythonRows(en)
            #expect(englishRows.first?.first == "Title")
            #expect(englishRows.dropFirst().allSatisfy { $0[2] == "Submitted" })
        }
    }

    @Test func workingGroupsExportShowsTypeStageProgressMembersAndRegion() async throws {
        try await withTestApp { app in
            try await app.execute("UPDATE working_groups SET title = '@WG' WHERE id = \(DemoData.id("w001"))")
            let staff = try await app.signedIn(as: Demo.staff)
            let (status, _, body) = try await app.get("/staff/exports/working-groups.csv", headers: staff)
            #expect(status == .ok)
            let rows = try python.pythonRows(body)
            #expect(rows.first == ["ワーキンググループ", "種類", "段階", "この段階の日数", "開始日", "重点連携領域", "地域", "主担当",
                                   "参加者", "活動記録の数", "最新の活動日", "最新の活動", "支援メニュー（完了/全体）"])
            #expect(rows.count == (try await app.count("SELECT count(*)::int FROM working_groups")) + 1)
            let w001 = try #require(rows.first { $0[0] == "'@WG" })
            let group = try #require(try await app.rows("""
                SELECT w.type, w.stage, m.name_ja AS lead,
                       (SELECT count(*)::int FROM working_group_activities a WHERE a.working_group_id = w.id) AS activities
                FROM working_groups w JOIN working_group_participants p ON p.working_group_id = w.id AND p.role = 'lead'
                JOIN members m ON m.id = p.member_id WHERE w.id = \(DemoData.id("w001"))
                """).first)
            #expect(w001[1] == (try group.get("type", as: String.self) == "open" ? "オープン型" : "テーマ型"))
            #expect(w001[7] == (try group.get("lead", as: String.self)))
            #expect(w001[8].contains((try group.get("lead", as: String.self)) + "（主担当）"))
            #expect(w001[9] == String(try group.get("activities", as: Int.self)))
            #expect(w001[12].wholeMatch(of: /\d+\/\d+/) != nil)
            let (_, _, filtered) = try await app.get("/staff/exports/working-groups.csv?stage=active", headers: staff)
            #expect(try python.pythonRows(filtered).dropFirst().allSatisfy { $0[2] == "活動中" })
        }
    }

    @Test func roundExportHasEveryPairWithItsBreakdownProposalAndDecision() async throws {
        try await withTestApp { app in
            let round = try await app.runRound(["candidates": "members", "top_l": 5])
            let staff = try await app.signedIn(as: Demo.staff)
            let first = round.assignment[0]
            let decided = try await app.send(.POST, "/api/v1/matching-rounds/\(round.id.uuidString.lowercased())/decisions", headers: staff,
                                             json: ["candidate_id": first.candidateId.uuidString, "need_id": first.needId.uuidString,
                                                    "decision": "held"])
            #expect(decided.status == .created)
            let (status, _, body) = try await app.get("/staff/exports/matching-rounds/\(round.id.uuidString.lowercased())/pairs.csv",
                                                      headers: staff)
            #expect(status == .ok)
            let rows = try python.pythonRows(body)
            let header = try #require(rows.first)
            #expect(header.prefix(5) == ["ニーズ", "区", "順位", "候補", "スコア"])
            #expect(header.suffix(2) == ["提案された組合せ", "決定"])
            #expect(header.count == 5 + Feature.allCases.count + 2)
            let pairs = try await app.count("SELECT count(*)::int FROM matching_pairs WHERE round_id = \(round.id)")
            #expect(rows.count == pairs + 1)
            // The latest solution's proposed pairs are the "yes" rows (a hold re-solves the round).
            let proposed = try await app.count("""
                SELECT count(*)::int FROM matching_assignments WHERE round_id = \(round.id) AND method = 'optimal'
                  AND solution = (SELECT max(solution) FROM matching_solutions WHERE round_id = \(round.id))
                """)
            #expect(rows.dropFirst().filter { $0[header.count - 2] == "はい" }.count == proposed)
            #expect(rows.dropFirst().filter { $0[header.count - 1] == "保留" }.count == 1)
            // Each score is the sum of its contributions.
            for row in rows.dropFirst() {
                let parts = row[5..<(5 + Feature.allCases.count)].compactMap(Double.init).reduce(0, +)
                #expect(abs(parts - (Double(row[4]) ?? -1)) < 0.001, "\(row)")
            }
            let (missing, _, _) = try await app.get("/staff/exports/matching-rounds/\(UUID().uuidString)/pairs.csv", headers: staff)
            #expect(missing == .notFound)
        }
    }
}
