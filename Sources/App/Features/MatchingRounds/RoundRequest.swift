import Vapor
import Matching

/// `POST /api/v1/matching-rounds` body, and the start form of the staff page.
struct RoundRequest: Content {
    struct Filters: Content {
        var domainMustMatch: Bool?
        var areaMustMatch: Bool?
        var minimumScore: Double?
        /// Only needs of this ward (name, English name or code).
        var ward: String?
        /// Only needs of this domain.
        var domain: String?
    }
    var councilId: UUID?
    var candidates: String
    var weights: [String: Double]?
    var filters: Filters?
    var topL: Int?
    /// `auto` (default: background when the round is large), `inline` or `background`.
    var mode: String?
}

/// A checked round request.
struct RoundSpec: Sendable {
    enum CandidateKind: String, Sendable, Codable { case members, proposals }
    var councilID: UUID
    var candidates: CandidateKind
    var parameters: RoundParameters
    var needWardCode: String?
    var needDomain: String?
    var mode: Mode = .auto

    enum Mode: String, Sendable { case auto, inline, background }

    static let defaultTopL = 50
    /// Large enough that covering one more need (× its severity) always beats any total score.
    static let coverageBonus = 1_000_000

    /// Whether this round runs in the background (answering at once) rather than in the request.
    func runsInBackground(on db: Database) async throws -> Bool {
        switch mode {
        case .inline: false
        case .background: true
        case .auto: try await RoundQueue.estimatedPairs(self, on: db) > RoundQueue.inlineLimit
        }
    }

    static func check(_ request: RoundRequest, on db: Database) async throws -> RoundSpec {
        guard let kind = CandidateKind(rawValue: request.candidates) else {
            throw invalid("candidates", ja: "members または proposals を指定してください", en: "must be members or proposals")
        }
        var weights = WeightSet.standard
        if let given = request.weights {
            for (feature, value) in given {
                guard Feature(rawValue: feature) != nil else {
                    throw invalid("weights.\(feature)", ja: "未知の特徴量です（\(Feature.allCases.map(\.rawValue).joined(separator: ", "))）",
                                  en: "unknown feature (expected one of \(Feature.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard value.isFinite, (0...10).contains(value) else {
                    throw invalid("weights.\(feature)", ja: "0から10までの数で指定してください", en: "must be a number from 0 to 10")
                }
            }
            // Given weights replace the standard set's, feature by feature: a custom set, named so.
            var merged = WeightSet.standard.weights
            for (feature, value) in given { merged[feature] = value }
            if merged != WeightSet.standard.weights {
                weights = WeightSet(name: "custom", version: "standard-\(WeightSet.standard.version)", weights: merged)
            }
        }
        let topL = request.topL ?? defaultTopL
        guard (1...1000).contains(topL) else {
            throw invalid("top_l", ja: "1から1000までの整数で指定してください", en: "must be a whole number from 1 to 1000")
        }
        let filters = request.filters
        if let minimum = filters?.minimumScore, !(minimum.isFinite && (0...10).contains(minimum)) {
            throw invalid("filters.minimum_score", ja: "0から10までの数で指定してください", en: "must be a number from 0 to 10")
        }
        if let domain = filters?.domain, !DomainCode.codes.contains(domain) {
            throw invalid("filters.domain", ja: "重点連携領域のコードで指定してください", en: "must be one of \(DomainCode.codes.joined(separator: ", "))")
        }
        guard let mode = Mode(rawValue: request.mode ?? "auto") else {
            throw invalid("mode", ja: "auto・inline・background のいずれかです", en: "must be auto, inline or background")
        }
        let council = try await ReferenceQueries.councilID(request.councilId, on: db, field: "council_id")
        let ward = try await ReferenceQueries.wardCode(filters?.ward, parameter: "filters.ward", on: db)
        let parameters = RoundParameters(
            weights: weights,
            filters: HardFilters(domainMustMatch: filters?.domainMustMatch ?? false,
                                 areaMustMatch: filters?.areaMustMatch ?? false,
                                 minimumScore: filters?.minimumScore),
            topL: topL, coverageBonus: coverageBonus)
        return RoundSpec(councilID: council, candidates: kind, parameters: parameters,
                         needWardCode: ward, needDomain: filters?.domain, mode: mode)
    }

    private static func invalid(_ field: String, ja: String, en: String) -> AppError {
        AppError(.unprocessableEntity, code: "invalid_field", field: field,
                 ja: "「\(field)」が正しくありません: \(ja)", en: "Field '\(field)' is invalid: \(en)")
    }
}
