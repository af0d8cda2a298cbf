import Vapor
import Matching

/// Staff pages: start a round, read its result need by need with each score's breakdown, decide pairs.
enum RoundPages {
    // MARK: start

    struct WeightField: Encodable { var feature: String; var label: String; var value: String; var standard: String }
    struct StartModel: Encodable {
        var layout: Layout
        var csrfToken: String
        var rounds: [RoundRow]
        var pager: Pager
        var weights: [WeightField]
        var wards: [SelectOption]
        var domains: [SelectOption]
        var topL: Int
        var error: String?
        var errorField: String?
    }
    struct RoundRow: Encodable {
        var link: String; var createdAt: String; var candidates: String; var weightSet: String
        var optimalCovered: Int; var greedyCovered: Int; var optimalScore: String; var greedyScore: String
    }

    static func index(req: Request) async throws -> View {
        try req.requireUser(.staff, .admin)
        return try await renderIndex(req, error: nil)
    }

    static func renderIndex(_ req: Request, error: AppError?, form: StartForm? = nil) async throws -> View {
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        let page = try PageRequest(query, defaultPerPage: 20)
        let council = try await ReferenceQueries.defaultCouncilID(on: req.database)
        let rounds = try await RoundQueries.list(council: council, page: page, on: req.database)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let model = StartModel(
            layout: req.layout(titleKey: "round_title"), csrfToken: req.csrfToken ?? "",
            rounds: rounds.items.map { round in
                RoundRow(link: "/staff/matching/\(round.id.uuidString.lowercased())", createdAt: DisplayDate.dateTime(round.createdAt, req),
                         candidates: req.text("round_candidates_" + round.candidates), weightSet: round.weightSet,
                         optimalCovered: round.optimal.coveredNeeds, greedyCovered: round.greedy.coveredNeeds,
                         optimalScore: String(format: "%.2f", round.optimal.totalScore),
                         greedyScore: String(format: "%.2f", round.greedy.totalScore))
            },
            pager: Pager(path: "/staff/matching", filters: [], page: page, total: rounds.total),
            weights: Feature.allCases.map { feature in
                let standard = WeightSet.standard.weights[feature.rawValue] ?? 0
                return WeightField(feature: feature.rawValue, label: req.text("feature_" + feature.rawValue),
                                   value: form?.weight(feature.rawValue) ?? String(standard), standard: String(standard))
            },
            wards: req.wardOptions(wards, selectedCode: nil),
            domains: req.options(DomainCode.codes, prefix: "domain_", selected: form?.domain),
            topL: form?.top_l ?? RoundSpec.defaultTopL,
            error: error.map { $0.message(in: req.language) }, errorField: error?.field)
        return try await req.view.render("round-index", model)
    }

    /// The start form as posted (HTML forms send strings).
    struct StartForm: Content {
        var candidates: String?
        var ward: String?
        var domain: String?
        var domain_must_match: String?
        var area_must_match: String?
        var minimum_score: String?
        var top_l: Int?
        var weight_domain: String?, weight_area: String?, weight_tags: String?
        var weight_text: String?, weight_capacity: String?, weight_experience: String?

        func weight(_ feature: String) -> String? {
            switch feature {
            case "domain": weight_domain
            case "area": weight_area
            case "tags": weight_tags
            case "text": weight_text
            case "capacity": weight_capacity
            case "experience": weight_experience
            default: nil
            }
        }

        func request() throws -> RoundRequest {
            var weights: [String: Double] = [:]
            for feature in Feature.allCases {
                guard let raw = weight(feature.rawValue)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { continue }
                guard let value = Double(raw) else {
                    throw AppError(.unprocessableEntity, code: "invalid_field", field: "weights.\(feature.rawValue)",
                                   ja: "重み「\(feature.rawValue)」は数で入力してください。", en: "Weight '\(feature.rawValue)' must be a number.")
                }
                weights[feature.rawValue] = value
            }
            var minimum: Double? = nil
            if let raw = minimum_score?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                guard let value = Double(raw) else {
                    throw AppError(.unprocessableEntity, code: "invalid_field", field: "filters.minimum_score",
                                   ja: "最低スコアは数で入力してください。", en: "The minimum score must be a number.")
                }
                minimum = value
            }
            return RoundRequest(
                councilId: nil, candidates: candidates ?? "members", weights: weights,
                filters: .init(domainMustMatch: domain_must_match != nil, areaMustMatch: area_must_match != nil,
                               minimumScore: minimum, ward: ward?.isEmpty == false ? ward : nil,
                               domain: domain?.isEmpty == false ? domain : nil),
                topL: top_l)
        }
    }

    static func start(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        let form = try req.content.decode(StartForm.self)
        do {
            let spec = try await RoundSpec.check(try form.request(), on: req.database)
            let id = try await spec.runsInBackground(on: req.database)
                ? try await RoundQueue.enqueue(spec, by: user, actor: req.auditActor, on: req.database)
                : try await MatchingRounds.run(spec, by: user, actor: req.auditActor, on: req.database)
            return req.redirect(to: "/staff/matching/\(id.uuidString.lowercased())", redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .badRequest {
            // Show the form again with what was typed and the message next to it.
            let response = try await renderIndex(req, error: error, form: form).encodeResponse(for: req)
            response.status = error.status
            return response
        }
    }

    // MARK: result

    struct Segment: Encodable { var feature: String; var label: String; var x: String; var width: String; var value: String }
    struct CandidateRow: Encodable {
        var rank: Int; var name: String; var candidateID: String; var score: String
        var segments: [Segment]; var explanations: [String]
        var proposed: Bool; var fixed: Bool; var decision: String?; var decisionLabel: String?
    }
    struct NeedBlock: Encodable {
        var anchor: String; var needID: String; var title: String; var place: String; var domain: String
        var wanted: Int; var candidates: [CandidateRow]; var runnerUp: String?
    }
    struct CandidateSummary: Encodable { var name: String; var needs: [String] }
    struct ResultModel: Encodable {
        var layout: Layout
        var csrfToken: String
        var roundID: String
        var round: RoundDTO
        var candidatesLabel: String
        var optimalScore: String
        var greedyScore: String
        var totalMs: String
        var needs: [NeedBlock]
        var byCandidate: [CandidateSummary]
        var pager: Pager
        var legend: [Segment]
    }

    static let barWidth = 240.0

    struct ProgressModel: Encodable {
        var layout: Layout
        /// Seconds until the page reloads itself (no script needed).
        var refresh: Int?
        var status: String
        var failed: Bool
        var percent: Int
    }

    static func show(req: Request) async throws -> View {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        let page = try PageRequest(query, defaultPerPage: 10)
        guard let id = req.parameters.get("id", as: UUID.self),
              let status = try await RoundQueue.status(id, on: req.database) else { throw AppError.notFound("matching round") }
        if status.status != "completed" {
            // A large round still running: a page that refreshes itself and shows how far it is.
            return try await req.view.render("round-progress", ProgressModel(
                layout: req.layout(titleKey: "round_result_title"), refresh: status.status == "failed" ? nil : 2,
                status: req.text("round_status_" + status.status),
                failed: status.status == "failed", percent: Int((status.progress * 100).rounded())))
        }
        guard let round = try await RoundQueries.find(id, on: req.database),
              let (snapshot, _) = try await req.database.withConnection({ connection in
                  try await RoundStore.snapshot(round: id, on: connection, logger: req.logger)
              }) else { throw AppError.notFound("matching round") }
        let names = Dictionary(uniqueKeysWithValues: snapshot.candidates.map { ($0.id, $0.name ?? $0.id) })
        let assigned = Dictionary(grouping: round.assignment, by: { $0.needId })
        let runnerUps = Dictionary(uniqueKeysWithValues: round.runnerUps.map { ($0.needId, $0.explanation) })
        let maxScore = max(1, snapshot.parameters.weights.weights.values.reduce(0, +))
        let scale = barWidth / maxScore

        // Needs in the order of the snapshot, a page at a time.
        let needs = snapshot.needs.sorted { ($0.priority, $1.title) > ($1.priority, $0.title) }
        let shown = needs.dropFirst(page.offset).prefix(page.perPage)
        var blocks: [NeedBlock] = []
        for need in shown {
            let needID = UUID(uuidString: need.id)!
            let pairs = try await RoundQueries.pairs(round: id, need: needID, page: PageRequest(page: 1, perPage: 5), on: req.database)
            let rows = pairs.items.map { pair in
                let assignedPair = assigned[needID]?.first { $0.candidateId == pair.candidateId }
                var x = 0.0
                let segments = Feature.allCases.map { feature in
                    let value = pair.contributions[feature.rawValue] ?? 0
                    defer { x += value * scale }
                    return Segment(feature: feature.rawValue, label: req.text("feature_" + feature.rawValue),
                                   x: String(format: "%.1f", x), width: String(format: "%.1f", value * scale),
                                   value: String(format: "%.3f", value))
                }
                return CandidateRow(
                    rank: pair.rank, name: names[pair.candidateId.uuidString.lowercased()] ?? pair.candidateId.uuidString,
                    candidateID: pair.candidateId.uuidString.lowercased(), score: String(format: "%.3f", pair.score),
                    segments: segments,
                    explanations: Feature.allCases.compactMap { pair.explanations[$0.rawValue] }.filter { !$0.isEmpty },
                    proposed: assignedPair != nil, fixed: assignedPair?.fixed ?? false, decision: pair.decision,
                    decisionLabel: pair.decision.map { req.text("decision_" + $0) })
            }
            blocks.append(NeedBlock(anchor: "need-\(need.id)", needID: need.id, title: need.title,
                                    place: [need.wardName, need.districtName].compactMap { $0 }.joined(separator: " "),
                                    domain: req.text("domain_" + need.domain), wanted: need.wanted, candidates: rows,
                                    runnerUp: runnerUps[needID]))
        }
        let needTitles = Dictionary(uniqueKeysWithValues: snapshot.needs.map { ($0.id, $0.title) })
        let byCandidate = Dictionary(grouping: round.assignment, by: { $0.candidateId.uuidString.lowercased() })
            .map { candidate, pairs in
                CandidateSummary(name: names[candidate] ?? candidate,
                                 needs: pairs.map { needTitles[$0.needId.uuidString.lowercased()] ?? "" }.sorted())
            }
            .sorted { $0.name < $1.name }
        let model = ResultModel(
            layout: req.layout(titleKey: "round_result_title"), csrfToken: req.csrfToken ?? "",
            roundID: id.uuidString.lowercased(), round: round,
            candidatesLabel: req.text("round_candidates_" + round.candidates),
            optimalScore: String(format: "%.2f", round.optimal.totalScore),
            greedyScore: String(format: "%.2f", round.greedy.totalScore),
            totalMs: String(format: "%.1f", round.timings.totalMs), needs: blocks, byCandidate: byCandidate,
            pager: Pager(path: "/staff/matching/\(id.uuidString.lowercased())", filters: [], page: page, total: needs.count),
            legend: Feature.allCases.map { Segment(feature: $0.rawValue, label: req.text("feature_" + $0.rawValue), x: "0", width: "0", value: "") })
        return try await req.view.render("round-result", model)
    }

    struct DecisionForm: Content {
        var candidate_id: UUID
        var need_id: UUID
        var decision: String
        var note: String?
        var back: String?
    }

    static func decide(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("matching round") }
        let form = try req.content.decode(DecisionForm.self)
        // The page's "accept and form a working group" button sends accepted_working_group.
        let formsGroup = form.decision == "accepted_working_group"
        guard let decision = MatchingRounds.Decision(rawValue: formsGroup ? "accepted" : form.decision) else {
            throw AppError(.unprocessableEntity, code: "invalid_field", field: "decision",
                           ja: "決定は「採用」「保留」「見送り」のいずれかです。", en: "The decision must be accept, hold or reject.")
        }
        let result = try await MatchingRounds.decide(
            round: id, candidate: form.candidate_id, need: form.need_id, decision: decision,
            outcome: formsGroup ? .workingGroup : .introduction, note: String((form.note ?? "").prefix(4000)), by: user,
            actor: req.auditActor, on: req.database)
        if let group = result.workingGroupID {
            return req.redirect(to: "/working-groups/\(group.uuidString.lowercased())", redirectType: .normal)
        }
        var back = form.back ?? "/staff/matching/\(id.uuidString.lowercased())"
        if !back.hasPrefix("/staff/matching/") { back = "/staff/matching/\(id.uuidString.lowercased())" }
        return req.redirect(to: back + "#need-\(form.need_id.uuidString.lowercased())", redirectType: .normal)
    }
}
