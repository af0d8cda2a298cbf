import Foundation
import PostgresNIO
import Logging

/// Reads and checks a group's origin inside the forming transaction, locking the origin row so two
/// staff forming from the same proposal or pair at once cannot both succeed.
enum WorkingGroupOrigins {
    static func resolve(_ draft: WorkingGroupDraft, on connection: PostgresConnection, logger: Logger) async throws -> ResolvedOrigin {
        switch draft.origin {
        case .proposal(let id): try await proposal(id, on: connection, logger: logger)
        case .themeCall(let id, let members): try await themeCall(id, selected: members, lead: draft.leadMemberID,
                                                                   on: connection, logger: logger)
        case .matchingDecision(let id): try await matchingDecision(id, on: connection, logger: logger)
        }
    }

    static func proposal(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ResolvedOrigin {
        let rows = try await connection.query("""
            SELECT p.council_id, p.member_id, p.title, p.summary, p.domains, p.city_wide, p.support_menu, p.status,
                   ARRAY(SELECT ward_code FROM proposal_wards WHERE proposal_id = p.id ORDER BY ward_code) AS wards,
                   ARRAY(SELECT district_id FROM proposal_districts WHERE proposal_id = p.id ORDER BY district_id) AS districts,
                   EXISTS (SELECT 1 FROM working_groups w WHERE w.origin_proposal_id = p.id) AS formed
            FROM proposals p WHERE p.id = \(id) FOR UPDATE OF p
            """, logger: logger).rows()
        guard let row = rows.first else {
            throw WorkingGroupError.invalid("proposal_id", ja: "その提案はありません。", en: "no such proposal.")
        }
        let status: String = try row.get("status")
        guard status == ProposalStatus.accepted.rawValue else {
            throw WorkingGroupError.conflict(
                "proposal_not_accepted", field: "proposal_id",
                ja: "採択された提案からのみワーキンググループを組成できます（この提案の状況: \(status)）。",
                en: "Only an accepted proposal can form a working group (this one is '\(status)').")
        }
        guard try !row.get("formed", as: Bool.self) else {
            throw WorkingGroupError.conflict("already_formed", field: "proposal_id",
                                             ja: "この提案からは既にワーキンググループが組成されています。",
                                             en: "A working group has already been formed from this proposal.")
        }
        return ResolvedOrigin(
            councilID: try row.get("council_id"), type: .open, title: try row.get("title"),
            summary: try row.get("summary"), domains: try row.get("domains"), cityWide: try row.get("city_wide"),
            wardCodes: try row.get("wards"), districtIDs: try row.get("districts"), needIDs: [],
            leadMemberID: try row.get("member_id"), otherMemberIDs: [], proposalID: id, themeCallID: nil,
            roundID: nil, decisionID: nil, supportRequested: try row.get("support_menu"))
    }

    /// Decision: a theme-type group is formed only after the call's deadline, when every application
    /// is in and the selection can be fair; one call may form several groups (t001 formed two).
    static func themeCall(_ id: UUID, selected: [UUID], lead: UUID?, on connection: PostgresConnection,
                          logger: Logger) async throws -> ResolvedOrigin {
        let rows = try await connection.query("""
            SELECT t.council_id, t.title, t.genre, t.description, t.domains, t.status, t.deadline <= now() AS past,
                   ARRAY(SELECT ward_code FROM theme_call_wards WHERE theme_call_id = t.id ORDER BY ward_code) AS wards,
                   ARRAY(SELECT need_id FROM theme_call_needs WHERE theme_call_id = t.id ORDER BY need_id) AS needs,
                   ARRAY(SELECT DISTINCT n.domain FROM theme_call_needs tn JOIN needs n ON n.id = tn.need_id
                         WHERE tn.theme_call_id = t.id) AS need_domains,
                   ARRAY(SELECT DISTINCT n.district_id FROM theme_call_needs tn JOIN needs n ON n.id = tn.need_id
                         WHERE tn.theme_call_id = t.id AND n.district_id IS NOT NULL) AS districts
            FROM theme_calls t WHERE t.id = \(id) FOR UPDATE OF t
            """, logger: logger).rows()
        guard let row = rows.first else {
            throw WorkingGroupError.invalid("theme_call_id", ja: "そのテーマ型募集はありません。", en: "no such theme call.")
        }
        let status: String = try row.get("status")
        guard ["open", "closed", "formed"].contains(status) else {
            throw WorkingGroupError.conflict("theme_call_not_formable", field: "theme_call_id",
                                             ja: "この募集（状況: \(status)）からは組成できません。",
                                             en: "This theme call ('\(status)') cannot form a working group.")
        }
        guard try row.get("past", as: Bool.self) else {
            throw WorkingGroupError.conflict("theme_call_deadline_not_passed", field: "theme_call_id",
                                             ja: "応募の締切前です。締切後に応募者を選んで組成してください。",
                                             en: "The call is still accepting applications; select applicants after its deadline.")
        }
        var members: [UUID] = []
        for member in selected where !members.contains(member) { members.append(member) }
        guard !members.isEmpty else {
            throw WorkingGroupError.invalid("member_ids", ja: "参画する応募者を1者以上選んでください。",
                                            en: "select at least one applicant.")
        }
        let applied = try await connection.query("""
            SELECT member_id FROM theme_call_applications
            WHERE theme_call_id = \(id) AND member_id = ANY(\(members)) AND status <> 'withdrawn'
            """, logger: logger).rows().map { try $0.get("member_id", as: UUID.self) }
        if let stranger = members.first(where: { !applied.contains($0) }) {
            throw WorkingGroupError.invalid("member_ids", ja: "応募していない参画企業・団体が含まれています（\(stranger.uuidString.lowercased())）。",
                                            en: "\(stranger.uuidString.lowercased()) did not apply to this call.")
        }
        let leadID = lead ?? members[0]
        guard members.contains(leadID) else {
            throw WorkingGroupError.invalid("lead_member_id", ja: "主担当は選んだ応募者から指定してください。",
                                            en: "the lead must be one of the selected applicants.")
        }
        try await connection.query("""
            UPDATE theme_call_applications SET status = 'selected'
            WHERE theme_call_id = \(id) AND member_id = ANY(\(members))
            """, logger: logger)
        try await connection.query("UPDATE theme_calls SET status = 'formed' WHERE id = \(id)", logger: logger)
        var domains: [String] = try row.get("domains")
        if domains.isEmpty { domains = try row.get("need_domains") }
        let genre: String = try row.get("genre")
        let description: String = try row.get("description")
        return ResolvedOrigin(
            councilID: try row.get("council_id"), type: .theme, title: try row.get("title"),
            summary: String((genre + (description.isEmpty ? "" : " — " + description)).prefix(2000)),
            domains: domains, cityWide: false, wardCodes: try row.get("wards"), districtIDs: try row.get("districts"),
            needIDs: try row.get("needs"), leadMemberID: leadID, otherMemberIDs: members.filter { $0 != leadID },
            proposalID: nil, themeCallID: id, roundID: nil, decisionID: nil, supportRequested: [])
    }

    /// Only the latest decision on a pair counts (matching_decisions keeps the history), and it must be
    /// `accepted` and not already have formed a group.
    static func matchingDecision(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ResolvedOrigin {
        let rows = try await connection.query("""
            SELECT d.council_id, d.round_id, d.need_id, d.candidate_id, d.decision, d.working_group_id, r.candidates_kind,
                   n.title AS need_title, n.description AS need_description, n.domain, n.ward_code, n.district_id,
                   (SELECT d2.id FROM matching_decisions d2
                    WHERE d2.round_id = d.round_id AND d2.need_id = d.need_id AND d2.candidate_id = d.candidate_id
                    ORDER BY d2.decided_at DESC, d2.created_at DESC LIMIT 1) AS latest_id
            FROM matching_decisions d
            JOIN matching_rounds r ON r.id = d.round_id
            JOIN needs n ON n.id = d.need_id
            WHERE d.id = \(id) FOR UPDATE OF d
            """, logger: logger).rows()
        guard let row = rows.first else {
            throw WorkingGroupError.invalid("decision_id", ja: "そのマッチング判断はありません。", en: "no such matching decision.")
        }
        guard try row.get("decision", as: String.self) == "accepted",
              try row.get("latest_id", as: UUID.self) == id else {
            throw WorkingGroupError.conflict("pair_not_accepted", field: "decision_id",
                                             ja: "採用（accepted）された最新の判断からのみ組成できます。",
                                             en: "Only the latest decision on a pair, when accepted, can form a working group.")
        }
        guard try row.get("working_group_id", as: UUID?.self) == nil else {
            throw WorkingGroupError.conflict("already_formed", field: "decision_id",
                                             ja: "この組み合わせからは既にワーキンググループが組成されています。",
                                             en: "A working group has already been formed from this pair.")
        }
        let needID: UUID = try row.get("need_id")
        let candidate: UUID = try row.get("candidate_id")
        let needDomain: String = try row.get("domain")
        let ward: String? = try row.get("ward_code")
        let district: UUID? = try row.get("district_id")
        var origin = ResolvedOrigin(
            councilID: try row.get("council_id"), type: .theme, title: try row.get("need_title"),
            summary: String((try row.get("need_description", as: String.self)).prefix(2000)), domains: [needDomain],
            cityWide: false, wardCodes: ward.map { [$0] } ?? [], districtIDs: district.map { [$0] } ?? [],
            needIDs: [needID], leadMemberID: candidate, otherMemberIDs: [], proposalID: nil, themeCallID: nil,
            roundID: try row.get("round_id"), decisionID: id, supportRequested: [])
        if try row.get("candidates_kind", as: String.self) == "proposals" {
            // A proposal matched to a region's need: an open-type group from that proposal.
            let proposals = try await connection.query("""
                SELECT member_id, title, summary, domains, support_menu FROM proposals WHERE id = \(candidate)
                """, logger: logger).rows()
            guard let proposal = proposals.first else {
                throw WorkingGroupError.invalid("decision_id", ja: "組み合わせの提案が見つかりません。",
                                                en: "the pair's proposal no longer exists.")
            }
            let domains: [String] = try proposal.get("domains")
            origin.type = .open
            origin.proposalID = candidate
            origin.leadMemberID = try proposal.get("member_id")
            origin.title = try proposal.get("title")
            origin.summary = try proposal.get("summary")
            origin.domains = domains + (domains.contains(needDomain) ? [] : [needDomain])
            origin.supportRequested = try proposal.get("support_menu")
        }
        return origin
    }
}
