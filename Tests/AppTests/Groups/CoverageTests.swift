import Foundation
import Testing
import Vapor
@testable import App

/// Coverage numbers against a fixture counted by hand, then against independent SQL on the demo data.
@Suite("Coverage")
struct CoverageTests {
    static let council = StableID.cityCouncil

    /// A staff login without a password (sessions are made directly in tests).
    static func staffUser(_ app: Application) async throws -> HTTPHeaders {
        try await app.database.client.query("""
            INSERT INTO users (id, council_id, email, password_hash, role)
            VALUES (\(UUID()), \(council), 'coverage-staff@example.org', 'unused', 'staff')
            """)
        return try await app.signedIn(as: "coverage-staff@example.org")
    }

    static func need(_ app: Application, ward: String, district: String? = nil, domain: String, status: String = "open") async throws -> UUID {
        let id = UUID()
        let districtID = district.map { StableID.district(wardCode: ward, name: $0) }
        try await app.database.client.query("""
            INSERT INTO needs (id, council_id, ward_code, district_id, domain, title, severity, source, status)
            VALUES (\(id), \(council), \(ward), \(districtID), \(domain), 'fixture', 3, 'ward_office', \(status))
            """)
        return id
    }

    static func group(_ app: Application, stage: String, needs: [UUID]) async throws {
        let id = UUID()
        try await app.database.client.query("""
            INSERT INTO working_groups (id, council_id, type, title, domains, stage)
            VALUES (\(id), \(council), 'theme', 'fixture group', ARRAY['prevention'], \(stage))
            """)
        for need in needs {
            try await app.database.client.query("INSERT INTO working_group_needs VALUES (\(id), \(need))")
        }
    }

    static func decisions(_ app: Application, need: UUID, member: UUID, _ decisions: [String]) async throws {
        let round = UUID()
        try await app.database.client.query("""
            INSERT INTO matching_rounds (id, council_id, candidates_kind, status, weight_set_name, weight_set_version, weights, engine_version)
            VALUES (\(round), \(council), 'members', 'completed', 'default', '1', '{}'::jsonb, 'test')
            """)
        try await app.database.client.query("""
            INSERT INTO matching_pairs (round_id, need_id, candidate_id, rank, score, contributions)
            VALUES (\(round), \(need), \(member), 1, 0.5, '{}'::jsonb)
            """)
        for (index, decision) in decisions.enumerated() {
            try await app.database.client.query("""
                INSERT INTO matching_decisions (id, council_id, round_id, need_id, candidate_id, decision, decided_at)
                VALUES (\(UUID()), \(council), \(round), \(need), \(member), \(decision), now() + make_interval(secs => \(Double(index))))
                """)
        }
    }

    @Test func cellsCountOpenCoveredAndGapExactlyAsDefined() async throws {
        try await withTestApp(.reference) { app in
            let staff = try await Self.staffUser(app)
            let member = UUID()
            try await app.database.client.query("""
                INSERT INTO members (id, council_id, name_ja, kind) VALUES (\(member), \(Self.council), 'フィクスチャ商店', 'company')
                """)
            // 高津区 (14134) prevention: A (橘地区) with an active group, B (橘地区) only with a dissolved group,
            // C (no district) with nothing, D met (not open, not counted).
            let a = try await Self.need(app, ward: "14134", district: "橘地区", domain: "prevention")
            let b = try await Self.need(app, ward: "14134", district: "橘地区", domain: "prevention", status: "matching")
            _ = try await Self.need(app, ward: "14134", domain: "prevention")
            let d = try await Self.need(app, ward: "14134", domain: "prevention", status: "met")
            try await Self.group(app, stage: "active", needs: [a, d])
            try await Self.group(app, stage: "dissolved", needs: [b])
            // 麻生区 (14137) daily_life: E introduced (covered), F whose introduction ended (gap).
            let e = try await Self.need(app, ward: "14137", domain: "daily_life", status: "in_progress")
            let f = try await Self.need(app, ward: "14137", domain: "daily_life")
            for (need, status) in [(e, "introduced"), (f, "ended")] {
                try await app.database.client.query("""
                    INSERT INTO introductions (id, council_id, need_id, member_id, status)
                    VALUES (\(UUID()), \(Self.council), \(need), \(member), \(status))
                    """)
            }
            // 麻生区 participation: G accepted then rejected (the latest decision counts: gap), H accepted (covered).
            let g = try await Self.need(app, ward: "14137", domain: "participation")
            let h = try await Self.need(app, ward: "14137", domain: "participation")
            try await Self.decisions(app, need: g, member: member, ["accepted", "rejected"])
            try await Self.decisions(app, need: h, member: member, ["held", "accepted"])

            let reply = try await app.sendJSON(.GET, "/api/v1/coverage", headers: staff)
            #expect(reply.status == .ok)
            let rows = reply.object["rows"] as? [[String: Any]] ?? []
            func cells(_ label: String) -> [[Int]] {
                let row = rows.first { $0["district"] as? String == label }
                    ?? rows.first { $0["ward"] as? String == label && $0["district"] as? String == nil }
                return (row?["cells"] as? [[String: Any]] ?? []).map { [$0["open"] as? Int ?? -1, $0["covered"] as? Int ?? -1, $0["gap"] as? Int ?? -1] }
            }
            // [open, covered, gap] for prevention, participation, daily_life.
            #expect(cells("高津区") == [[3, 1, 2], [0, 0, 0], [0, 0, 0]])
            #expect(cells("橘地区") == [[2, 1, 1], [0, 0, 0], [0, 0, 0]])
            #expect(cells("高津第1地区") == [[0, 0, 0], [0, 0, 0], [0, 0, 0]])
            #expect(cells("麻生区") == [[0, 0, 0], [2, 1, 1], [2, 1, 1]])
            #expect(cells("川崎区") == [[0, 0, 0], [0, 0, 0], [0, 0, 0]])
            let totals = (reply.object["totals"] as? [[String: Any]] ?? []).map { [$0["open"] as? Int, $0["covered"] as? Int, $0["gap"] as? Int] }
            #expect(totals == [[3, 1, 2], [2, 1, 1], [2, 1, 1]])
            #expect(rows.count == 7 + 4)

            // The page shows the same numbers in its table and writes them in the heat map's cells.
            let (status, _, html) = try await app.get("/coverage", headers: staff)
            #expect(status == .ok)
            let document = try XHTML(html)
            #expect(document.rowCells(headedBy: "高津区") == ["3", "1", "2", "0", "0", "0", "0", "0", "0"])
            #expect(document.rowCells(headedBy: "橘地区") == ["2", "1", "1", "0", "0", "0", "0", "0", "0"])
            #expect(document.rowCells(headedBy: "合計") == ["3", "1", "2", "2", "1", "1", "2", "1", "1"])
            #expect(html.contains(">空白 2</text>"))
            #expect(html.contains(">未対応") == false)
            #expect(html.contains("未解決 3 / 対応あり 1"))
        }
    }

    @Test func demoCoverageAgreesWithIndependentCounts() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            let reply = try await app.sendJSON(.GET, "/api/v1/coverage", headers: member)
            let totals = reply.object["totals"] as? [[String: Any]] ?? []
            for (index, domain) in DomainCode.codes.enumerated() {
                let open = try await app.count("""
                    SELECT count(*)::int FROM needs WHERE domain = \(domain) AND status NOT IN ('met', 'closed')
                    """)
                let covered = try await app.count("""
                    SELECT count(*)::int FROM needs n WHERE n.domain = \(domain) AND n.status NOT IN ('met', 'closed') AND n.id IN (
                      SELECT wn.need_id FROM working_group_needs wn JOIN working_groups w ON w.id = wn.working_group_id WHERE w.stage <> 'dissolved'
                      UNION SELECT need_id FROM introductions WHERE status <> 'ended')
                    """)
                #expect(totals[index]["open"] as? Int == open, "\(domain)")
                #expect(totals[index]["covered"] as? Int == covered, "\(domain)")
                #expect(totals[index]["gap"] as? Int == open - covered, "\(domain)")
            }
            #expect(try await app.sendJSON(.GET, "/api/v1/coverage").status == .unauthorized)
        }
    }
}
