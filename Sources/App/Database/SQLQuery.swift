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

extension Database {
    /// One page of a filtered list: the total from `count`, the rows from `select` in `order`
    /// with LIMIT/OFFSET bound. Both queries carry the same filters, built by the caller.
    func page<Item: Sendable>(
        count: SQLQuery, select: SQLQuery, order: StaticString, page: PageRequest,
        _ item: (PostgresRandomAccessRow) throws -> Item
    ) async throws -> Page<Item> {
        var select = select
        select.append(order)
        select.append(" LIMIT "); try select.bind(page.perPage)
        select.append(" OFFSET "); try select.bind(page.offset)
        let total = try await client.query(count.query).collect().first?.decode(Int.self) ?? 0
        let items = try await client.query(select.query).rows().map(item)
        return Page(items: items, total: total, request: page)
    }
}
