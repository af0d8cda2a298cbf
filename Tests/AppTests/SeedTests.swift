import Foundation
import Testing
import PostgresNIO
import Logging
@testable import App

@Suite("Reference and demo data")
struct SeedTests {
    let logger = Logger(label: "tests.seed")

    @Test func seedingTwiceAddsNothingTheSecondTime() async throws {
        try await withTestDatabase(.demo) { url in
            try await SingleConnection.with(url, logger: logger) { connection in
                let reference = try await ReferenceSeed.load(from: TestPaths.seed, on: connection, logger: logger)
                let demo = try await DemoSeed.load(from: TestPaths.seed + "demo/", on: connection, logger: logger)
                #expect(reference.inserted.allSatisfy { $0.count == 0 }, "\(reference.summary)")
                #expect(demo.inserted.allSatisfy { $0.count == 0 }, "\(demo.summary)")
            }
        }
    }

    @Test func theSevenWardsCarryTheRealFiguresAndUnknownsStayUnknown() async throws {
        try await withTestApp(.reference) { app in
            let rows = try await app.rows("""
                SELECT name_ja, population_2010, ageing_rate_2024::float8 AS r2024, ageing_rate_65plus_2020::float8 AS r2020
                FROM wards ORDER BY position
                """)
            #expect(try rows.map { try $0.get("name_ja", as: String.self) } == ["川崎区", "幸区", "中原区", "高津区", "多摩区", "宮前区", "麻生区"])
            #expect(try rows.map { try $0.get("population_2010", as: Int.self) }.reduce(0, +) == 1_425_512)
            // Found for 中原区 and 麻生区 only; every other ward has no 2024 figure, not an estimate.
            #expect(try rows.map { try $0.get("r2024", as: Double?.self) } == [nil, nil, 15.74, nil, nil, nil, 25.2])
            #expect(try rows.map { try $0.get("r2020", as: Double?.self) } == [22.4, 21.7, 15.3, nil, nil, nil, nil])
        }
    }

    @Test func referenceVocabulariesHaveTheirExactJapaneseLabels() async throws {
        try await withTestApp(.reference) { app in
            let domains = try await app.rows("SELECT code, label_ja FROM domains ORDER BY position")
            #expect(try domains.map { try $0.get("label_ja", as: String.self) } == ["予防・自立支援", "参加と活躍によるつながり", "日常の暮らしの支え"])
            let menu = try await app.rows("SELECT code, label_ja FROM support_menu_items ORDER BY position")
            #expect(try menu.map { try $0.get("code", as: String.self) } == SupportMenuCode.codes)
            #expect(try menu.map { try $0.get("label_ja", as: String.self) } == [
                "高齢者ニーズ・特性の共有", "行政データの提供", "関係者調整", "協業先マッチング", "広報支援", "事業関連イベント等への後援",
            ])
            let districts = try await app.rows("SELECT name_ja FROM districts WHERE ward_code = '14134' ORDER BY name_ja")
            #expect(Set(try districts.map { try $0.get("name_ja", as: String.self) }) == ["高津第1地区", "高津第2地区", "高津第3地区", "橘地区"])
            #expect(try await app.count("SELECT count(*)::int FROM councils WHERE level = 'city'") == 1)
        }
    }

    @Test func demoDataHas131MarkedMembersOfEveryKind() async throws {
        try await withTestApp(.demo) { app in
            #expect(try await app.count("SELECT count(*)::int FROM members") == 131)
            #expect(try await app.count("SELECT count(*)::int FROM members WHERE NOT is_demo OR name_ja NOT LIKE '【デモ】%'") == 0)
            let kinds = try await app.rows("SELECT DISTINCT kind FROM members")
            #expect(Set(try kinds.map { try $0.get("kind", as: String.self) }) == Set(MemberKind.codes))
            #expect(try await app.count("SELECT count(*)::int FROM members WHERE cardinality(domains) = 0") == 0)
        }
    }

    @Test func demoNeedsCoverEveryWardAndDomain() async throws {
        try await withTestApp(.demo) { app in
            let total = try await app.count("SELECT count(*)::int FROM needs")
            #expect((50...70).contains(total))
            #expect(try await app.count("SELECT count(DISTINCT ward_code)::int FROM needs") == 7)
            #expect(try await app.count("SELECT count(DISTINCT domain)::int FROM needs") == 3)
        }
    }

    @Test func demoProposalsAndWorkingGroupsCoverEveryStatusAndBothTypes() async throws {
        try await withTestApp(.demo) { app in
            let statuses = try await app.rows("SELECT DISTINCT status FROM proposals")
            #expect(Set(try statuses.map { try $0.get("status", as: String.self) }) == Set(ProposalStatus.codes))
            let types = try await app.rows("SELECT DISTINCT type FROM working_groups")
            #expect(Set(try types.map { try $0.get("type", as: String.self) }) == ["open", "theme"])
            #expect(try await app.count("SELECT count(DISTINCT stage)::int FROM working_groups") >= 4)
            // Every open-type group grew from an accepted proposal.
            #expect(try await app.count("""
                SELECT count(*)::int FROM working_groups w LEFT JOIN proposals p ON p.id = w.origin_proposal_id
                WHERE w.type = 'open' AND (p.status IS DISTINCT FROM 'accepted')
                """) == 0)
            // Every group's recorded stage is where its history ends.
            #expect(try await app.count("""
                SELECT count(*)::int FROM working_groups w
                WHERE w.stage <> (SELECT h.to_stage FROM working_group_stage_history h
                                  WHERE h.working_group_id = w.id ORDER BY h.at DESC, h.created_at DESC LIMIT 1)
                """) == 0)
        }
    }

    @Test func demoLoginsExistForEveryRole() async throws {
        try await withTestApp(.demo) { app in
            let roles = try await app.rows("SELECT role, password_hash FROM users WHERE email LIKE '%@demo.tsunagu.example'")
            #expect(Set(try roles.map { try $0.get("role", as: String.self) }) == ["admin", "staff", "member"])
            // bcrypt at cost 12.
            #expect(try roles.allSatisfy { try $0.get("password_hash", as: String.self).hasPrefix("$2b$12$") })
        }
    }

    @Test func seededIdsNeverChangeBetweenVersions() {
        // Ids derive from names, so a second seed (or a new machine) finds the same rows.
        // Pinned: changing the derivation would duplicate every demo row on existing databases.
        #expect(StableID.cityCouncil.uuidString.lowercased() == "2aaeae39-cb13-8395-b7a6-3c252edf56ef")
        #expect(DemoData.id("m001").uuidString.lowercased() == "428ca638-11dd-88b1-b753-e56e91d1649c")
        #expect(DemoData.id("m001") != DemoData.id("m002"))
    }
}
