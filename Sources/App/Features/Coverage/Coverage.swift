import Vapor
import PostgresNIO

/// Where the council's regional needs stand, by ward (and district where known) × domain.
///
/// Definitions: an *open* need is one not yet met or closed (status open, matching or in_progress);
/// it is *covered* when a working group that is not dissolved works on it, an introduction that has
/// not ended was made for it, or the latest staff decision on one of its matching pairs is
/// `accepted`; the *gap* is open − covered: the needs nobody is working on, which the council
/// should act on.
struct CoverageReport: Content {
    struct Cell: Content {
        var domain: String
        var open: Int
        var covered: Int
        var gap: Int
    }

    struct Row: Content {
        var wardCode: String
        var ward: String
        var districtId: UUID?
        var district: String?
        var cells: [Cell]
        var open: Int
        var covered: Int
        var gap: Int
    }

    var councilId: UUID
    var domains: [String]
    var rows: [Row]
    var totals: [Cell]
}

enum Coverage {
    static func report(councilID: UUID, on db: Database) async throws -> CoverageReport {
        var byWard: [String: [String: (Int, Int)]] = [:]
        var byDistrict: [UUID: [String: (Int, Int)]] = [:]
        let rows = try await db.client.query("""
            WITH need_state AS (
              SELECT n.ward_code, n.district_id, n.domain,
                     (EXISTS (SELECT 1 FROM working_group_needs wn JOIN working_groups w ON w.id = wn.working_group_id
                              WHERE wn.need_id = n.id AND w.stage <> 'dissolved')
                      OR EXISTS (SELECT 1 FROM introductions i WHERE i.need_id = n.id AND i.status <> 'ended')
                      OR EXISTS (SELECT 1 FROM (SELECT DISTINCT ON (d.round_id, d.candidate_id) d.decision
                                                FROM matching_decisions d WHERE d.need_id = n.id
                                                ORDER BY d.round_id, d.candidate_id, d.decided_at DESC, d.created_at DESC) latest
                                 WHERE latest.decision = 'accepted')) AS covered
              FROM needs n
              WHERE n.council_id = \(councilID) AND n.status NOT IN ('met', 'closed')
            )
            SELECT ward_code, district_id, domain, count(*)::int AS open, (count(*) FILTER (WHERE covered))::int AS covered
            FROM need_state GROUP BY ward_code, district_id, domain
            """).rows()
        for row in rows {
            let ward: String = try row.get("ward_code")
            let district: UUID? = try row.get("district_id")
            let domain: String = try row.get("domain")
            let open: Int = try row.get("open")
            let covered: Int = try row.get("covered")
            let before = byWard[ward]?[domain] ?? (0, 0)
            byWard[ward, default: [:]][domain] = (before.0 + open, before.1 + covered)
            if let district {
                let previous = byDistrict[district]?[domain] ?? (0, 0)
                byDistrict[district, default: [:]][domain] = (previous.0 + open, previous.1 + covered)
            }
        }
        let wards = try await ReferenceQueries.wards(on: db)
        let districts = try await ReferenceQueries.districts(wardCode: nil, page: PageRequest(perPage: 200), on: db).items
        let domains = DomainCode.codes
        func cells(_ counts: [String: (Int, Int)]?) -> [CoverageReport.Cell] {
            domains.map { domain in
                let (open, covered) = counts?[domain] ?? (0, 0)
                return CoverageReport.Cell(domain: domain, open: open, covered: covered, gap: open - covered)
            }
        }
        func row(ward: WardDTO, district: DistrictDTO?, _ cells: [CoverageReport.Cell]) -> CoverageReport.Row {
            CoverageReport.Row(wardCode: ward.code, ward: ward.nameJa, districtId: district?.id, district: district?.nameJa,
                               cells: cells, open: cells.reduce(0) { $0 + $1.open },
                               covered: cells.reduce(0) { $0 + $1.covered }, gap: cells.reduce(0) { $0 + $1.gap })
        }
        var result: [CoverageReport.Row] = []
        for ward in wards {
            result.append(row(ward: ward, district: nil, cells(byWard[ward.code])))
            for district in districts where district.wardCode == ward.code {
                result.append(row(ward: ward, district: district, cells(byDistrict[district.id])))
            }
        }
        let wardRows = result.filter { $0.districtId == nil }
        let totals = domains.enumerated().map { index, domain in
            CoverageReport.Cell(domain: domain, open: wardRows.reduce(0) { $0 + $1.cells[index].open },
                                covered: wardRows.reduce(0) { $0 + $1.cells[index].covered },
                                gap: wardRows.reduce(0) { $0 + $1.cells[index].gap })
        }
        return CoverageReport(councilId: councilID, domains: domains, rows: result, totals: totals)
    }
}
