import Vapor
import PostgresNIO

/// Who did it, as the audit log records it.
public struct AuditActor: Sendable {
    public var userID: UUID?
    public var role: String
    public var address: String?
    public var requestID: String?

    public static let system = AuditActor(userID: nil, role: "system", address: nil, requestID: nil)
}

/// Appends to `audit_records`, always on the connection of the change it describes,
/// so the change and its record commit together or not at all.
enum Audit {
    static func record(
        on connection: PostgresConnection, councilID: UUID?, actor: AuditActor, action: String,
        entity: String, entityID: String?, details: [String: String] = [:], logger: Logger
    ) async throws {
        let json = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        try await connection.query("""
            INSERT INTO audit_records (council_id, actor_user_id, actor_role, action, entity, entity_id, address, request_id, details)
            VALUES (\(councilID), \(actor.userID), \(actor.role), \(action), \(entity), \(entityID),
                    \(actor.address)::inet, \(actor.requestID), \(json)::jsonb)
            """, logger: logger)
    }
}
