import Vapor

/// `tsunagu match [--candidates members|proposals] [--council-id ID] [--top-l L]`: runs a matching
/// round outside any web request (for large councils), stores it like the API does, prints its id.
struct MatchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "candidates", help: "members (default) or proposals") var candidates: String?
        @Option(name: "council-id", help: "The council (default: the city-wide council)") var councilID: String?
        @Option(name: "top-l", help: "Candidates kept per need (default 50)") var topL: Int?
    }
    var help: String { "Runs and stores a matching round; prints its id and the optimal vs greedy summary." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let council = try signature.councilID.map { raw in
            guard let id = UUID(uuidString: raw) else {
                throw AppError(.badRequest, code: "usage", ja: "--council-id は UUID です", en: "--council-id must be a UUID")
            }
            return id
        }
        let request = RoundRequest(councilId: council, candidates: signature.candidates ?? "members", weights: nil,
                                   filters: nil, topL: signature.topL)
        let spec = try await RoundSpec.check(request, on: app.database)
        let id = try await MatchingRounds.run(spec, by: nil, actor: .system, on: app.database)
        guard let round = try await RoundQueries.find(id, on: app.database) else { throw AppError.notFound("matching round") }
        context.console.print(id.uuidString.lowercased())
        context.console.print(String(format: "%d candidates × %d needs, %d pairs kept; optimal covers %d needs (score %.2f), greedy %d (score %.2f); %.1f ms",
                                     round.candidateCount, round.needCount, round.pairCount, round.optimal.coveredNeeds,
                                     round.optimal.totalScore, round.greedy.coveredNeeds, round.greedy.totalScore,
                                     round.timings.totalMs))
    }
}
