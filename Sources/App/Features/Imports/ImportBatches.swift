import Foundation
import Crypto
import PostgresNIO

/// Uploaded files between preview and confirm. The file is kept server-side (decoded text plus
/// what it was read as) under a batch id that belongs to the uploading user and expires after a
/// day; confirming re-checks it against the vocabularies of that moment and writes every row, the
/// batch's new status and one audit record in one transaction — or nothing.
enum ImportBatches {
    static let maxBytes = 2 * 1024 * 1024
    static let lifetime: TimeInterval = 24 * 60 * 60

    struct Batch: Sendable {
        var id: UUID
        var kind: ImportKind
        var uploadedBy: UUID
        var filename: String
        var encoding: ImportEncoding
        var content: String
        var byteCount: Int
        var rowCount: Int
        var problemCount: Int
        var imported: Bool
        var result: ImportResult?
        var expiresAt: Date
        var importedAt: Date?
        var createdAt: Date

        var isExpired: Bool { !imported && expiresAt < Date() }
    }

    /// Reads, checks and keeps an uploaded file; the id of its batch (valid or not: the preview shows why).
    static func store(kind: ImportKind, filename: String, data: Data, by user: SignedInUser, actor: AuditActor,
                      localizer: Localizer, on db: Database) async throws -> UUID {
        guard !data.isEmpty else { throw ImportErrors.emptyFile }
        guard data.count <= maxBytes else { throw ImportErrors.tooLarge(bytes: data.count) }
        let decoded: (text: String, encoding: ImportEncoding)
        do { decoded = try ImportEncoding.decode(data) } catch { throw ImportErrors.unreadable(error) }
        let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let name = String(filename.prefix(255))
        let id = UUID()
        try await db.transaction { connection in
            let vocabulary = try await ImportVocabulary.load(on: connection, localizer: localizer, logger: db.logger)
            let checked = CheckedImport.check(decoded.text, kind: kind, vocabulary: vocabulary)
            // Housekeeping: uploads nobody confirmed in time are of no further use.
            try await connection.query("DELETE FROM import_batches WHERE status = 'pending' AND expires_at < now()", logger: db.logger)
            try await connection.query("""
                INSERT INTO import_batches (id, council_id, kind, uploaded_by, filename, encoding, content, content_sha256,
                                            byte_count, row_count, problem_count, expires_at)
                VALUES (\(id), \(user.councilID), \(kind.rawValue), \(user.id), \(name), \(decoded.encoding.rawValue),
                        \(decoded.text), \(hash), \(data.count), \(checked.rowCount), \(checked.problems.count),
                        now() + make_interval(secs => \(lifetime)))
                """, logger: db.logger)
            try await Audit.record(on: connection, councilID: user.councilID, actor: actor, action: "import.upload",
                                   entity: "import_batch", entityID: id.uuidString.lowercased(),
                                   details: ["kind": kind.rawValue, "filename": name, "encoding": decoded.encoding.rawValue,
                                             "sha256": hash, "rows": String(checked.rowCount),
                                             "problems": String(checked.problems.count)], logger: db.logger)
        }
        return id
    }

    /// The batch, if `user` uploaded it: 404 when there is none, 403 when it is another user's.
    static func find(_ id: UUID, for user: SignedInUser, on db: Database) async throws -> Batch {
        let batch = try await db.withConnection { connection in try await load(id, on: connection, lock: false, logger: db.logger) }
        guard let batch else { throw AppError.notFound("import") }
        guard batch.uploadedBy == user.id else { throw ImportErrors.notYours }
        return batch
    }

    /// The uploader's latest batches, for the import page (without their content).
    static func recent(for user: SignedInUser, on db: Database) async throws -> [Batch] {
        try await db.client.query("""
            SELECT id, kind, uploaded_by, filename, encoding, '' AS content, byte_count, row_count, problem_count, status,
                   result::text AS result_text, expires_at, imported_at, created_at
            FROM import_batches WHERE uploaded_by = \(user.id) ORDER BY created_at DESC LIMIT 10
            """).rows().map(batch)
    }

    enum Confirmed: Sendable, Equatable {
        case imported(ImportResult)
        /// Confirmed before (a second click): nothing more was written.
        case alreadyImported
    }

    static func confirm(_ id: UUID, by user: SignedInUser, actor: AuditActor, localizer: Localizer,
                        on db: Database) async throws -> Confirmed {
        try await db.transaction { connection in
            // The row lock makes a second, simultaneous confirm wait and then see 'imported'.
            guard let batch = try await load(id, on: connection, lock: true, logger: db.logger) else {
                throw AppError.notFound("import")
            }
            guard batch.uploadedBy == user.id else { throw ImportErrors.notYours }
            if batch.imported { return .alreadyImported }
            guard !batch.isExpired else { throw ImportErrors.expired }
            let vocabulary = try await ImportVocabulary.load(on: connection, localizer: localizer, logger: db.logger)
            let checked = CheckedImport.check(batch.content, kind: batch.kind, vocabulary: vocabulary)
            guard checked.isValid else { throw ImportErrors.hasProblems(checked.problems.count) }
            let result: ImportResult
            switch checked.records {
            case .needs(let records):
                result = try await NeedImport.write(records, councilID: user.councilID, userID: user.id, on: connection, logger: db.logger)
            case .districtProfiles(let records):
                result = try await DistrictProfileImport.write(records, on: connection, logger: db.logger)
            }
            let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            try await connection.query("""
                UPDATE import_batches SET status = 'imported', imported_at = now(), result = \(json)::jsonb WHERE id = \(id)
                """, logger: db.logger)
            try await Audit.record(on: connection, councilID: user.councilID, actor: actor, action: "import.confirm",
                                   entity: "import_batch", entityID: id.uuidString.lowercased(),
                                   details: ["kind": batch.kind.rawValue, "filename": batch.filename,
                                             "rows": String(checked.records.count), "created": String(result.created),
                                             "updated": String(result.updated)], logger: db.logger)
            return .imported(result)
        }
    }

    private static func load(_ id: UUID, on connection: PostgresConnection, lock: Bool, logger: Logger) async throws -> Batch? {
        let rows: [PostgresRow]
        if lock {
            rows = try await connection.query("""
                SELECT id, kind, uploaded_by, filename, encoding, content, byte_count, row_count, problem_count, status,
                       result::text AS result_text, expires_at, imported_at, created_at
                FROM import_batches WHERE id = \(id) FOR UPDATE
                """, logger: logger).collect()
        } else {
            rows = try await connection.query("""
                SELECT id, kind, uploaded_by, filename, encoding, content, byte_count, row_count, problem_count, status,
                       result::text AS result_text, expires_at, imported_at, created_at
                FROM import_batches WHERE id = \(id)
                """, logger: logger).collect()
        }
        return try rows.first.map { try batch($0.makeRandomAccess()) }
    }

    private static func batch(_ row: PostgresRandomAccessRow) throws -> Batch {
        let resultText: String? = try row.get("result_text")
        return Batch(
            id: try row.get("id"), kind: ImportKind(rawValue: try row.get("kind")) ?? .needs, uploadedBy: try row.get("uploaded_by"),
            filename: try row.get("filename"), encoding: ImportEncoding(rawValue: try row.get("encoding")) ?? .utf8,
            content: try row.get("content"), byteCount: Int(try row.get("byte_count", as: Int32.self)),
            rowCount: Int(try row.get("row_count", as: Int32.self)), problemCount: Int(try row.get("problem_count", as: Int32.self)),
            imported: try row.get("status", as: String.self) == "imported",
            result: try resultText.map { try JSONDecoder().decode(ImportResult.self, from: Data($0.utf8)) },
            expiresAt: try row.get("expires_at"), importedAt: try row.get("imported_at"), createdAt: try row.get("created_at"))
    }
}
