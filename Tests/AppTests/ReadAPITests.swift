import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

struct MemberItem: Decodable {
    var id: UUID
    var nameJa: String
    var nameEn: String?
    var kind: String
    var industry: String
    var domains: [String]
    var wards: [String]
    var tags: [String]
    var description: String
    var isDemo: Bool
}

struct NeedItem: Decodable {
    var id: UUID
    var ward: String?
    var domain: String
    var status: String
    var severity: Int
}

@Suite("Read API")
struct ReadAPITests {
    @Test func allMembersFitOnOnePageOf200() async throws {
        try await withTestApp { app in
            let (status, body) = try await app.getJSON("/api/v1/members?per_page=200", as: ListBody<MemberItem>.self)
            #expect(status == .ok)
            #expect(body.total == 131)
            #expect(body.items.count == 131)
            #expect(body.perPage == 200)
            #expect(Set(body.items.map(\.id)).count == 131)
        }
    }

    @Test func pagesPartitionTheListWithoutOverlap() async throws {
        try await withTestApp { app in
            var seen: [UUID] = []
            for page in 1...3 {
                let (_, body) = try await app.getJSON("/api/v1/members?per_page=50&page=\(page)", as: ListBody<MemberItem>.self)
                #expect(body.page == page)
                #expect(body.total == 131)
                seen += body.items.map(\.id)
            }
            #expect(seen.count == 131)
            #expect(Set(seen).count == 131)
            let (_, beyond) = try await app.getJSON("/api/v1/members?per_page=50&page=4", as: ListBody<MemberItem>.self)
            #expect(beyond.items.isEmpty)
            #expect(beyond.total == 131)
        }
    }

    @Test func memberFiltersNarrowTheList() async throws {
        try await withTestApp { app in
            let (_, financial) = try await app.getJSON("/api/v1/members?kind=financial&per_page=200", as: ListBody<MemberItem>.self)
            #expect(!financial.items.isEmpty)
            #expect(financial.items.allSatisfy { $0.kind == "financial" })
            #expect(financial.total == (try await app.count("SELECT count(*)::int FROM members WHERE kind = 'financial'")))

            let (_, prevention) = try await app.getJSON("/api/v1/members?domain=prevention&per_page=200", as: ListBody<MemberItem>.self)
            #expect(prevention.items.allSatisfy { $0.domains.contains("prevention") })
            #expect(prevention.total == (try await app.count("SELECT count(*)::int FROM members WHERE 'prevention' = ANY (domains)")))

            // A ward's members include the city-wide ones, who serve every ward.
            let (_, asao) = try await app.getJSON(encoded("/api/v1/members?ward=麻生区&per_page=200"), as: ListBody<MemberItem>.self)
            #expect(asao.items.allSatisfy { $0.wards == ["*"] || $0.wards.contains("麻生区") })
            #expect(asao.items.contains { $0.wards == ["*"] })
            #expect(asao.items.contains { $0.wards.contains("麻生区") })
            let (_, byCode) = try await app.getJSON("/api/v1/members?ward=14137&per_page=200", as: ListBody<MemberItem>.self)
            #expect(byCode.total == asao.total)
        }
    }

    @Test func keywordSearchFindsTwoCharacterJapaneseWordsAndWidthVariants() async throws {
        try await withTestApp { app in
            let (_, welfare) = try await app.getJSON(encoded("/api/v1/members?q=福祉&per_page=200"), as: ListBody<MemberItem>.self)
            #expect(!welfare.items.isEmpty)
            #expect(welfare.items.allSatisfy { [$0.nameJa, $0.industry, $0.description, $0.tags.joined()].joined().contains("福祉") })
            // Full-width letters find half-width text, as staff type either.
            let (_, half) = try await app.getJSON("/api/v1/members?q=IT&per_page=200", as: ListBody<MemberItem>.self)
            let (_, full) = try await app.getJSON(encoded("/api/v1/members?q=ＩＴ&per_page=200"), as: ListBody<MemberItem>.self)
            #expect(half.total == full.total)
            // LIKE wildcards in a search are literal.
            let (_, percent) = try await app.getJSON(encoded("/api/v1/members?q=%25"), as: ListBody<MemberItem>.self)
            #expect(percent.total == 0)
        }
    }

    @Test(arguments: [
        ("/api/v1/members?per_page=0", "per_page"),
        ("/api/v1/members?per_page=201", "per_page"),
        ("/api/v1/members?page=abc", "page"),
        ("/api/v1/members?page=0", "page"),
        ("/api/v1/members?domain=health", "domain"),
        ("/api/v1/members?kind=shop", "kind"),
        ("/api/v1/members?ward=%E6%A8%AA%E6%B5%9C%E5%8C%BA", "ward"),
        ("/api/v1/members?council_id=kawasaki", "council_id"),
        ("/api/v1/members?council_id=00000000-0000-0000-0000-000000000000", "council_id"),
        ("/api/v1/members?perpage=10", "perpage"),
        ("/api/v1/members?kind=npo&kind=company", "kind"),
        ("/api/v1/needs?status=done", "status"),
        ("/api/v1/needs?district_id=1", "district_id"),
        ("/api/v1/districts?ward=nowhere", "ward"),
        ("/api/v1/wards?per_page=1000", "per_page"),
    ])
    func invalidQueryParametersAre400sNamingTheParameter(path: String, field: String) async throws {
        try await withTestApp(.reference) { app in
            let (status, body) = try await app.getJSON(path, as: ErrorBody.self)
            #expect(status == .badRequest)
            #expect(body.error.field == field)
            #expect(body.error.code == "invalid_parameter")
            #expect(body.error.message.contains(field))
        }
    }

    @Test func errorsSpeakTheClientsLanguage() async throws {
        try await withTestApp(.reference) { app in
            let (_, english) = try await app.getJSON("/api/v1/members?per_page=0", as: ErrorBody.self,
                                                     headers: ["Accept-Language": "en-US,en;q=0.9"])
            #expect(english.error.message.hasPrefix("Query parameter 'per_page' is invalid"))
            let (_, japanese) = try await app.getJSON("/api/v1/members?per_page=0", as: ErrorBody.self)
            #expect(japanese.error.message.contains("パラメータ「per_page」"))
        }
    }

    @Test func unknownIdsAre404s() async throws {
        try await withTestApp(.reference) { app in
            for path in ["/api/v1/members/\(UUID())", "/api/v1/members/not-a-uuid", "/api/v1/needs/\(UUID())", "/api/v1/nothing"] {
                let (status, body) = try await app.getJSON(path, as: ErrorBody.self)
                #expect(status == .notFound, "\(path)")
                #expect(body.error.code == "not_found")
            }
        }
    }

    @Test func oneMemberReadsBackItsFields() async throws {
        try await withTestApp { app in
            let (_, list) = try await app.getJSON("/api/v1/members?kind=financial&per_page=1", as: ListBody<MemberItem>.self)
            let first = try #require(list.items.first)
            let (status, member) = try await app.getJSON("/api/v1/members/\(first.id)", as: MemberItem.self)
            #expect(status == .ok)
            #expect(member.id == first.id)
            #expect(member.nameJa == first.nameJa)
            #expect(member.isDemo)
        }
    }

    @Test func needFiltersNarrowTheList() async throws {
        try await withTestApp { app in
            let (_, all) = try await app.getJSON("/api/v1/needs?per_page=200", as: ListBody<NeedItem>.self)
            #expect(all.total == (try await app.count("SELECT count(*)::int FROM needs")))
            let (_, open) = try await app.getJSON(encoded("/api/v1/needs?status=open&ward=麻生区&domain=prevention"),
                                                  as: ListBody<NeedItem>.self)
            #expect(open.items.allSatisfy { $0.status == "open" && $0.ward == "麻生区" && $0.domain == "prevention" })
            #expect(open.total == (try await app.count("""
                SELECT count(*)::int FROM needs WHERE status = 'open' AND ward_code = '14137' AND domain = 'prevention'
                """)))
            // Most severe first.
            #expect(all.items.map(\.severity) == all.items.map(\.severity).sorted(by: >))
        }
    }

    @Test func referenceListsHaveTheirFixedSizes() async throws {
        try await withTestApp(.reference) { app in
            struct Coded: Decodable { var code: String }
            let wards = try await app.getJSON("/api/v1/wards", as: ListBody<Coded>.self).1
            #expect(wards.total == 7)
            let domains = try await app.getJSON("/api/v1/domains", as: ListBody<Coded>.self).1
            #expect(domains.items.map(\.code) == DomainCode.codes)
            let menu = try await app.getJSON("/api/v1/support-menu", as: ListBody<Coded>.self).1
            #expect(menu.items.map(\.code) == SupportMenuCode.codes)
            struct District: Decodable { var nameJa: String; var ward: String }
            let districts = try await app.getJSON(encoded("/api/v1/districts?ward=高津区"), as: ListBody<District>.self).1
            #expect(districts.items.allSatisfy { $0.ward == "高津区" })
            #expect(districts.total == 4)
            let councils = try await app.getJSON("/api/v1/councils", as: ListBody<Coded>.self).1
            #expect(councils.items.map(\.code) == ["kawasaki"])
        }
    }

    @Test func wardFiguresUseSnakeCaseNamesAndNullForUnknown() async throws {
        try await withTestApp(.reference) { app in
            let (_, _, body) = try await app.get("/api/v1/wards")
            #expect(body.contains("\"ageing_rate_2024\":25.2"))
            #expect(body.contains("\"walk_15min_rate_fy2022\":88.2"))
            #expect(body.contains("\"population_2010\":169926"))
            #expect(!body.contains("ageing_rate2024"))
        }
    }

    @Test func healthAndReadiness() async throws {
        try await withTestApp(.reference) { app in
            let health = try await app.get("/health")
            #expect(health.0 == .ok)
            let (status, _, body) = try await app.get("/ready")
            #expect(status == .ok)
            #expect(body.contains("\"status\":\"ready\""))
        }
        // An app on a database with no migrations is alive but not ready.
        try await withTestApp(.empty) { app in
            let health = try await app.get("/health")
            #expect(health.0 == .ok)
            let ready = try await app.get("/ready")
            #expect(ready.0 == .serviceUnavailable)
        }
    }
}
