import Vapor
import PostgresNIO
import NIOPosix
import Matching

/// Running a round and deciding its pairs: each is one transaction with its audit record.
enum MatchingRounds {
    /// Loads the inputs, scores, assigns, and stores everything; returns the round's id.
    static func run(_ spec: RoundSpec, by user: SignedInUser?, actor: AuditActor, on db: Database) async throws -> UUID {
        let started = ContinuousClock.now
        defer { AppMetrics.roundDuration.record(started.duration(to: .now)) }
        return try await db.transaction { connection in
            let snapshot = try await RoundSnapshot.load(spec, on: connection, logger: db.logger)
            let result = try await engine { () throws(MatchingError) in
                try MatchingEngine.run(candidates: snapshot.candidates, needs: snapshot.needs, parameters: snapshot.parameters)
            }
            let id = UUID()
            try await RoundStore.insert(id: id, spec: spec, snapshot: snapshot, result: result, runBy: user?.id,
                                        on: connection, logger: db.logger)
            try await Audit.record(on: connection, councilID: spec.councilID, actor: actor, action: "matching_round.run",
                                   entity: "matching_round", entityID: id.uuidString.lowercased(),
                                   details: ["candidates": spec.candidates.rawValue, "candidate_count": "\(snapshot.candidates.count)",
                                             "need_count": "\(snapshot.needs.count)", "snapshot_hash": try snapshot.hash(),
                                             "weight_set": "\(result.weightSetName)/\(result.weightSetVersion)"],
                                   logger: db.logger)
            return id
        }
    }

    enum Decision: String, Codable, Sendable, CaseIterable { case accepted, held, rejected }
    /// What an accepted pair becomes: an introduction (協業先マッチング, the default) or, at the
    /// staff's choice, a working group (open-type from a proposal, theme-type from a need).
    enum Outcome: String, Codable, Sendable, CaseIterable {
        case introduction
        case workingGroup = "working_group"
    }

    struct DecisionResult: Sendable {
        var decisionID: UUID
        var introductionID: UUID?
        var workingGroupID: UUID?
        var solution: Int
    }

    /// Records a staff decision on a kept pair, turns an accepted pair into an introduction
    /// (協業先マッチング), and re-solves with rejected pairs removed and accepted ones fixed.
    static func decide(round: UUID, candidate: UUID, need: UUID, decision: Decision, outcome: Outcome = .introduction,
                       note: String, by user: SignedInUser, actor: AuditActor, on db: Database) async throws -> DecisionResult {
        try await db.transaction { connection in
            let logger = db.logger
            // One decision at a time per round: solution numbers stay a sequence.
            guard let row = try await connection.query("""
                SELECT council_id, candidates_kind FROM matching_rounds WHERE id = \(round) FOR UPDATE
                """, logger: logger).rows().first else { throw AppError.notFound("matching round") }
            let councilID: UUID = try row.get("council_id")
            let kind: String = try row.get("candidates_kind")
            let kept = try await !connection.query("""
                SELECT 1 FROM matching_pairs WHERE round_id = \(round) AND need_id = \(need) AND candidate_id = \(candidate)
                """, logger: logger).collect().isEmpty
            guard kept else {
                throw AppError(.unprocessableEntity, code: "unknown_pair", field: "candidate_id",
                               ja: "この候補とニーズの組は、このラウンドで評価されていません。",
                               en: "That candidate and need are not a scored pair of this round.")
            }
            let previous = try await connection.query("""
                SELECT decision FROM matching_decisions WHERE round_id = \(round) AND need_id = \(need) AND candidate_id = \(candidate)
                ORDER BY decided_at DESC, created_at DESC LIMIT 1
                """, logger: logger).collect().first?.decode(String.self)
            if previous == decision.rawValue {
                throw AppError(.conflict, code: "already_decided", field: "decision",
                               ja: "この組はすでに「\(decision.rawValue)」と決定されています。",
                               en: "This pair is already \(decision.rawValue).")
            }
            let decisionID = UUID()
            var introductionID: UUID? = nil
            if decision == .accepted && outcome == .introduction {
                introductionID = try await introduce(council: councilID, round: round, candidate: candidate, kind: kind,
                                                     need: need, by: user, on: connection, logger: logger)
            }
            try await connection.query("""
                INSERT INTO matching_decisions (id, council_id, round_id, need_id, candidate_id, decision, note,
                                                introduction_id, decided_by, decided_at)
                VALUES (\(decisionID), \(councilID), \(round), \(need), \(candidate), \(decision.rawValue), \(note),
                        \(introductionID), \(user.id), clock_timestamp())
                """, logger: logger)
            var workingGroupID: UUID? = nil
            if decision == .accepted && outcome == .workingGroup {
                // Same transaction: the decision, the group and both audit records commit together.
                workingGroupID = try await WorkingGroups.create(WorkingGroupDraft(origin: .matchingDecision(decisionID)),
                                                                actor: actor, on: connection, logger: logger)
            }
            let solution = try await resolve(round: round, by: user, on: connection, logger: logger)
            try await Audit.record(on: connection, councilID: councilID, actor: actor, action: "matching_round.decide",
                                   entity: "matching_round", entityID: round.uuidString.lowercased(),
                                   details: ["need_id": need.uuidString.lowercased(), "candidate_id": candidate.uuidString.lowercased(),
                                             "decision": decision.rawValue, "solution": "\(solution)",
                                             "introduction_id": introductionID?.uuidString.lowercased() ?? "",
                                             "working_group_id": workingGroupID?.uuidString.lowercased() ?? ""],
                                   logger: logger)
            return DecisionResult(decisionID: decisionID, introductionID: introductionID, workingGroupID: workingGroupID,
                                  solution: solution)
        }
    }

    /// An introduction record for an accepted pair, with the support-menu item it is (4 協業先マッチング);
    /// the need moves from open to matching.
    private static func introduce(council: UUID, round: UUID, candidate: UUID, kind: String, need: UUID,
                                  by user: SignedInUser, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        var member = candidate
        var proposal: UUID? = nil
        if kind == "proposals" {
            proposal = candidate
            guard let owner = try await connection.query("SELECT member_id FROM proposals WHERE id = \(candidate)",
                                                          logger: logger).collect().first?.decode(UUID.self) else {
                throw AppError.notFound("proposal")
            }
            member = owner
        }
        let id = UUID()
        try await connection.query("""
            INSERT INTO introductions (id, council_id, round_id, need_id, member_id, proposal_id, created_by)
            VALUES (\(id), \(council), \(round), \(need), \(member), \(proposal), \(user.id))
            """, logger: logger)
        try await connection.query("""
            INSERT INTO support_provided (id, council_id, introduction_id, proposal_id, item, owner_department, status)
            VALUES (\(UUID()), \(council), \(id), \(proposal), 'partner_matching', '健康福祉局地域包括ケア推進室', 'in_progress')
            """, logger: logger)
        try await connection.query("UPDATE needs SET status = 'matching' WHERE id = \(need) AND status = 'open'", logger: logger)
        return id
    }

    /// Solves again from the stored snapshot with the latest decision on each pair; returns the new solution number.
    static func resolve(round: UUID, by user: SignedInUser?, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        guard let (snapshot, _) = try await RoundStore.snapshot(round: round, on: connection, logger: logger) else {
            throw AppError.notFound("matching round")
        }
        var fixed: [PairKey] = []
        var removed: [PairKey] = []
        let latest = try await connection.query("""
            SELECT DISTINCT ON (need_id, candidate_id) need_id, candidate_id, decision
            FROM matching_decisions WHERE round_id = \(round)
            ORDER BY need_id, candidate_id, decided_at DESC, created_at DESC
            """, logger: logger)
        for try await (need, candidate, decision) in latest.decode((UUID, UUID, String).self) {
            let key = PairKey(candidateId: candidate.uuidString.lowercased(), needId: need.uuidString.lowercased())
            if decision == Decision.accepted.rawValue { fixed.append(key) }
            if decision == Decision.rejected.rawValue { removed.append(key) }
        }
        let (fixedPairs, removedPairs) = (fixed, removed)
        let result = try await engine { () throws(MatchingError) in
            try MatchingEngine.resolve(candidates: snapshot.candidates, needs: snapshot.needs,
                                       parameters: snapshot.parameters, fixed: fixedPairs, removed: removedPairs)
        }
        let number = try await connection.query(
            "SELECT coalesce(max(solution), -1) + 1 FROM matching_solutions WHERE round_id = \(round)", logger: logger
        ).collect().first!.decode(Int.self)
        try await RoundStore.insertSolution(round: round, number: number, result: result, fixed: fixed.count,
                                            removed: removed.count, by: user?.id, on: connection, logger: logger)
        return number
    }

    /// The engine's input errors become 422s naming the field.
    /// Runs on a thread of NIO's blocking pool, not on Swift's cooperative pool, which has one thread
    /// per core (two here): a round computes for hundreds of milliseconds, and holding one of the two
    /// threads every request needs made `make load`'s p99 jump while a round ran.
    static func engine<T: Sendable>(_ body: @escaping @Sendable () throws(MatchingError) -> T) async throws -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive { try body() }
        } catch let error as MatchingError {
            throw AppError(.unprocessableEntity, code: error.code, field: error.field, ja: error.message, en: error.message)
        }
    }
}
