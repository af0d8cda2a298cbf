import Foundation
import PostgresNIO
import Logging
import Vapor

/// The demo council: 131 fictional member organisations (each marked 【デモ】 and `is_demo`),
/// needs, proposals in every status, theme calls, working groups and events, plus demo logins.
/// Deterministic and idempotent: rows have stable ids and existing rows are left as they are.
enum DemoSeed {
    static let demoPassword = "tsunagu-demo-2026"
    static let logins: [(email: String, role: UserRole, memberKey: String?, name: String)] = [
        ("admin@demo.tsunagu.example", .admin, nil, "デモ 管理者"),
        ("staff@demo.tsunagu.example", .staff, nil, "デモ 地域包括ケア推進室"),
        ("member@demo.tsunagu.example", .member, "story:sports_health", "デモ スポーツクラブ担当"),
        ("member2@demo.tsunagu.example", .member, "story:mobile_sales_connection", "デモ スーパー担当"),
    ]

    static func load(from directory: String, on connection: PostgresConnection, logger: Logger) async throws -> SeedReport {
        let members = try DemoData.load([DemoData.Member].self, directory + "members.json")
        let needs = try DemoData.load([DemoData.Need].self, directory + "needs.json")
        let proposals = try DemoData.load([DemoData.Proposal].self, directory + "proposals.json")
        let themeCalls = try DemoData.load([DemoData.ThemeCall].self, directory + "theme_calls.json")
        let groups = try DemoData.load([DemoData.WorkingGroup].self, directory + "working_groups.json")
        let events = try DemoData.load([DemoData.Event].self, directory + "events.json")
        let stories = try DemoData.load([DemoData.Story].self, directory + "stories.json")

        return try await connection.withTransaction(logger: logger) { connection in
            var wardCodes: [String: String] = [:]
            for try await (code, name) in try await connection.query("SELECT code, name_ja FROM wards", logger: logger)
                .decode((String, String).self) { wardCodes[name] = code }
            let seed = Writer(connection: connection, logger: logger, council: StableID.cityCouncil, wardCodes: wardCodes)
            var report = SeedReport()
            for member in members { try await seed.member(member, into: &report) }
            for need in needs { try await seed.need(need, into: &report) }
            for proposal in proposals { try await seed.proposal(proposal, into: &report) }
            for call in themeCalls { try await seed.themeCall(call, into: &report) }
            for group in groups { try await seed.workingGroup(group, into: &report) }
            for event in events { try await seed.event(event, into: &report) }
            for login in logins {
                let memberKey = login.memberKey.flatMap { key in
                    key.hasPrefix("story:") ? stories.first { "story:" + $0.story == key }?.member : key
                }
                try await seed.login(login.email, role: login.role, memberKey: memberKey, name: login.name, into: &report)
            }
            return report
        }
    }

    /// Writes demo rows on one connection inside the seed's transaction.
    struct Writer {
        let connection: PostgresConnection
        let logger: Logger
        let council: UUID
        let wardCodes: [String: String]

        func ward(_ name: String) throws -> String {
            guard let code = wardCodes[name] else {
                throw ConfigurationError(problems: ["Demo data names an unknown ward: \(name)"])
            }
            return code
        }

        func district(_ name: String, ward: String) throws -> UUID {
            StableID.district(wardCode: try self.ward(ward), name: name)
        }

        /// Runs an INSERT … ON CONFLICT DO NOTHING RETURNING 1 and counts what it added.
        func insert(_ query: PostgresQuery, table: String, into report: inout SeedReport) async throws {
            let added = try await connection.query(query, logger: logger).collect().count
            report.add(table, added)
        }

        func member(_ m: DemoData.Member, into report: inout SeedReport) async throws {
            let id = DemoData.id(m.key)
            let cityWide = m.wards == ["*"]
            try await insert("""
                INSERT INTO members (id, council_id, name_ja, name_en, kind, industry, domains, city_wide, tags,
                                     description, capacity, joined_on, contact_name, contact_email, is_demo)
                VALUES (\(id), \(council), \(m.name_ja), \(m.name_en), \(m.kind), \(m.industry), \(m.domains), \(cityWide),
                        \(m.tags), \(m.description), \(m.capacity), \(m.joined_on)::date, \(m.contact_name),
                        \(m.contact_email), true)
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, table: "members", into: &report)
            if !cityWide {
                for name in m.wards {
                    try await insert("""
                        INSERT INTO member_wards (member_id, ward_code) VALUES (\(id), \(try ward(name)))
                        ON CONFLICT DO NOTHING RETURNING 1
                        """, table: "member_wards", into: &report)
                }
            }
        }

        func need(_ n: DemoData.Need, into report: inout SeedReport) async throws {
            let district = try n.district.map { try self.district($0, ward: n.ward) }
            try await insert("""
                INSERT INTO needs (id, council_id, ward_code, district_id, domain, title, description, tags, severity,
                                   source, wanted, status, is_demo)
                VALUES (\(DemoData.id(n.key)), \(council), \(try ward(n.ward)), \(district), \(n.domain), \(n.title),
                        \(n.description), \(n.tags), \(Int16(n.severity)), \(n.source), \(Int16(n.wanted)), \(n.status), true)
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, table: "needs", into: &report)
        }

        func proposal(_ p: DemoData.Proposal, into report: inout SeedReport) async throws {
            let id = DemoData.id(p.key)
            let submitted = p.submitted_on.map { DemoData.instant($0, hour: 10) }
            let history = ProposalHistory.path(to: p.status, submittedAt: submitted)
            let decidedAt = ["accepted", "declined"].contains(p.status) ? history.last?.at : nil
            let added = try await connection.query("""
                INSERT INTO proposals (id, council_id, member_id, title, summary, body, domains, city_wide, tags,
                                       support_menu, resources_offered, track, status, submitted_at, decided_at, is_demo)
                VALUES (\(id), \(council), \(DemoData.id(p.member)), \(p.title), \(p.summary), \(p.body), \(p.domains),
                        \(p.wards == ["*"]), \(p.tags), \(p.support_menu), \(p.resources_offered), \(p.track), \(p.status),
                        \(submitted), \(decidedAt), true)
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, logger: logger).collect().count
            report.add("proposals", added)
            guard added > 0 else { return }
            if p.wards != ["*"] {
                for name in p.wards {
                    try await insert("INSERT INTO proposal_wards VALUES (\(id), \(try ward(name))) ON CONFLICT DO NOTHING RETURNING 1",
                                     table: "proposal_wards", into: &report)
                }
            }
            for name in p.districts {
                let district = try self.district(name, ward: "高津区")
                try await insert("INSERT INTO proposal_districts VALUES (\(id), \(district)) ON CONFLICT DO NOTHING RETURNING 1",
                                 table: "proposal_districts", into: &report)
            }
            for (index, step) in history.enumerated() {
                let comment = step.to == p.status ? (p.review_comment ?? "") : ""
                try await insert("""
                    INSERT INTO proposal_status_history (id, council_id, proposal_id, from_status, to_status, comment, at)
                    VALUES (\(StableID.make("demo-proposal-history", "\(p.key)/\(index)")), \(council), \(id),
                            \(step.from), \(step.to), \(comment), \(step.at))
                    ON CONFLICT (id) DO NOTHING RETURNING 1
                    """, table: "proposal_status_history", into: &report)
            }
        }

        func themeCall(_ t: DemoData.ThemeCall, into report: inout SeedReport) async throws {
            let id = DemoData.id(t.key)
            guard let deadline = DemoData.timestamp(t.deadline) else {
                throw ConfigurationError(problems: ["Theme call \(t.key) has a bad deadline \(t.deadline)"])
            }
            try await insert("""
                INSERT INTO theme_calls (id, council_id, title, genre, description, domains, deadline, status, is_demo)
                VALUES (\(id), \(council), \(t.title), \(t.genre), \(t.description), \(t.domains), \(deadline), \(t.status), true)
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, table: "theme_calls", into: &report)
            for need in t.needs {
                try await insert("INSERT INTO theme_call_needs VALUES (\(id), \(DemoData.id(need))) ON CONFLICT DO NOTHING RETURNING 1",
                                 table: "theme_call_needs", into: &report)
            }
            for name in t.wards {
                try await insert("INSERT INTO theme_call_wards VALUES (\(id), \(try ward(name))) ON CONFLICT DO NOTHING RETURNING 1",
                                 table: "theme_call_wards", into: &report)
            }
            for application in t.applications {
                try await insert("""
                    INSERT INTO theme_call_applications (id, council_id, theme_call_id, member_id, statement, status)
                    VALUES (\(StableID.make("demo-application", "\(t.key)/\(application.member)")), \(council), \(id),
                            \(DemoData.id(application.member)), \(application.statement), \(application.status))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, table: "theme_call_applications", into: &report)
            }
        }

        func workingGroup(_ w: DemoData.WorkingGroup, into report: inout SeedReport) async throws {
            let id = DemoData.id(w.key)
            let started = DemoData.instant(w.started_on)
            let stageChanged = w.stage_history.last.map { DemoData.instant($0.on) } ?? started
            let added = try await connection.query("""
                INSERT INTO working_groups (id, council_id, type, title, summary, domains, city_wide, stage, stage_changed_at,
                                            origin_proposal_id, origin_theme_call_id, started_on, is_demo)
                VALUES (\(id), \(council), \(w.type), \(w.title), \(w.summary), \(w.domains), \(w.wards == ["*"]), \(w.stage),
                        \(stageChanged), \(w.origin_proposal.map(DemoData.id)), \(w.origin_theme_call.map(DemoData.id)),
                        \(w.started_on)::date, true)
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, logger: logger).collect().count
            report.add("working_groups", added)
            guard added > 0 else { return }
            if w.wards != ["*"] {
                for name in w.wards {
                    try await insert("INSERT INTO working_group_wards VALUES (\(id), \(try ward(name))) ON CONFLICT DO NOTHING RETURNING 1",
                                     table: "working_group_wards", into: &report)
                }
            }
            for need in w.origin_needs ?? [] {
                try await insert("INSERT INTO working_group_needs VALUES (\(id), \(DemoData.id(need))) ON CONFLICT DO NOTHING RETURNING 1",
                                 table: "working_group_needs", into: &report)
            }
            for (index, participant) in w.participants.enumerated() {
                try await insert("""
                    INSERT INTO working_group_participants (id, council_id, working_group_id, role, member_id, display_name, joined_on)
                    VALUES (\(StableID.make("demo-participant", "\(w.key)/\(index)")), \(council), \(id), \(participant.role),
                            \(participant.member.map(DemoData.id)), \(participant.name), \(w.started_on)::date)
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, table: "working_group_participants", into: &report)
            }
            // The stage history starts with the group's formation.
            var previous: String? = nil
            let changes = [DemoData.StageChange(to: "forming", on: w.started_on, note: nil)] + w.stage_history
            for (index, change) in changes.enumerated() {
                try await insert("""
                    INSERT INTO working_group_stage_history (id, council_id, working_group_id, from_stage, to_stage, note, at)
                    VALUES (\(StableID.make("demo-stage", "\(w.key)/\(index)")), \(council), \(id), \(previous), \(change.to),
                            \(change.note ?? ""), \(DemoData.instant(change.on)))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, table: "working_group_stage_history", into: &report)
                previous = change.to
            }
            for (index, support) in w.support.enumerated() {
                try await insert("""
                    INSERT INTO support_provided (id, council_id, working_group_id, item, owner_department, status)
                    VALUES (\(StableID.make("demo-support", "\(w.key)/\(index)")), \(council), \(id), \(support.item),
                            \(support.department), \(support.status))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, table: "support_provided", into: &report)
            }
            for (index, activity) in w.activities.enumerated() {
                try await insert("""
                    INSERT INTO working_group_activities (id, council_id, working_group_id, kind, occurred_on, title, body, links)
                    VALUES (\(StableID.make("demo-activity", "\(w.key)/\(index)")), \(council), \(id), \(activity.kind),
                            \(activity.on)::date, \(activity.title), \(activity.body), \(activity.links ?? []))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, table: "working_group_activities", into: &report)
            }
        }

        func event(_ e: DemoData.Event, into report: inout SeedReport) async throws {
            guard let starts = DemoData.timestamp(e.starts_at) else {
                throw ConfigurationError(problems: ["Event \(e.key) has a bad starts_at \(e.starts_at)"])
            }
            try await insert("""
                INSERT INTO events (id, council_id, kind, title, description, starts_at, ends_at, place, working_group_id, is_demo)
                VALUES (\(DemoData.id(e.key)), \(council), \(e.kind), \(e.title), \(e.description), \(starts),
                        \(e.ends_at.flatMap(DemoData.timestamp)), \(e.place), \(e.working_group.map(DemoData.id)), true)
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, table: "events", into: &report)
        }

        /// A demo login; hashed only when it does not exist yet (bcrypt at cost 12 is slow on purpose).
        func login(_ email: String, role: UserRole, memberKey: String?, name: String, into report: inout SeedReport) async throws {
            let exists = try await !connection.query("SELECT 1 FROM users WHERE lower(email) = lower(\(email))",
                                                     logger: logger).collect().isEmpty
            guard !exists else { return }
            let user = UserAccounts.NewUser(email: email, password: demoPassword, role: role,
                                            memberID: memberKey.map(DemoData.id), councilID: council,
                                            displayName: name)
            _ = try await UserAccounts.create(user, actor: .system, on: connection, logger: logger)
            report.add("users", 1)
        }
    }
}

/// The status path a demo proposal took to reach its status, with plausible dates after submission.
enum ProposalHistory {
    struct Step { var from: String?; var to: String; var at: Date }

    static func path(to status: String, submittedAt: Date?) -> [Step] {
        let start = submittedAt ?? DemoData.instant("2026-11-01")
        let day: TimeInterval = 24 * 3600
        let created = start.addingTimeInterval(-3 * day)
        var steps = [Step(from: nil, to: "draft", at: created)]
        guard status != "draft" else { return steps }
        steps.append(Step(from: "draft", to: "submitted", at: start))
        switch status {
        case "submitted":
            break
        case "withdrawn":
            steps.append(Step(from: "submitted", to: "withdrawn", at: start.addingTimeInterval(5 * day)))
        default:
            steps.append(Step(from: "submitted", to: "in_review", at: start.addingTimeInterval(7 * day)))
            if status != "in_review" {
                steps.append(Step(from: "in_review", to: status, at: start.addingTimeInterval(21 * day)))
            }
        }
        return steps
    }
}
