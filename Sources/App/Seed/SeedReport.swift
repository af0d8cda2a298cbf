/// How many rows a seed added, per table; a second run adds none.
public struct SeedReport: Sendable {
    public private(set) var inserted: [(table: String, count: Int)] = []

    mutating func add(_ table: String, _ count: Int) {
        if let index = inserted.firstIndex(where: { $0.table == table }) {
            inserted[index].count += count
        } else {
            inserted.append((table, count))
        }
    }

    public func count(_ table: String) -> Int { inserted.first { $0.table == table }?.count ?? 0 }

    public var summary: String {
        "Seeded (rows added): " + inserted.map { "\($0.table) \($0.count)" }.joined(separator: ", ")
    }

    static func += (lhs: inout SeedReport, rhs: SeedReport) {
        for entry in rhs.inserted { lhs.add(entry.table, entry.count) }
    }
}
