import PostgresNIO

/// Builds a query whose shape depends on the filters given, without ever putting a value
/// into the SQL text: fragments are compile-time strings, values become `$n` bindings.
struct SQLQuery {
    private(set) var sql: String
    private(set) var bindings = PostgresBindings()

    init(_ fragment: StaticString) { sql = fragment.description }

    mutating func append(_ fragment: StaticString) {
        sql += fragment.description
    }

    /// Appends `$n` for the value.
    mutating func bind<Value: PostgresEncodable & Sendable>(_ value: Value) throws {
        try bindings.append(value)
        sql += "$\(bindings.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}

extension PostgresRandomAccessRow {
    /// The named column decoded as `T`; a NULL decodes only into an Optional.
    func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self, context: .default)
    }
}

extension PostgresRowSequence {
    /// All rows, each with named-column access.
    func rows() async throws -> [PostgresRandomAccessRow] {
        try await collect().map { $0.makeRandomAccess() }
    }
}
