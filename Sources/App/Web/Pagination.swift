import Vapor

/// `page` and `per_page` of every list; `per_page` is at most 200.
public struct PageRequest: Sendable, Equatable {
    public var page: Int
    public var perPage: Int
    public var offset: Int { (page - 1) * perPage }

    public static let maxPerPage = 200

    public init(page: Int = 1, perPage: Int = 50) {
        self.page = page
        self.perPage = perPage
    }

    init(_ query: QueryParameters, defaultPerPage: Int = 50) throws {
        page = try query.integer("page", in: 1...1_000_000) ?? 1
        perPage = try query.integer("per_page", in: 1...Self.maxPerPage) ?? defaultPerPage
    }
}

/// `{"items": [...], "total": N, "page": 1, "per_page": 50}`
public struct Page<Item: Content>: Content {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public init(items: [Item], total: Int, request: PageRequest) {
        self.items = items
        self.total = total
        self.page = request.page
        self.perPage = request.perPage
    }

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
}
