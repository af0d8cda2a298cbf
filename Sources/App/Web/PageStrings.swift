import Leaf
import LeafKit

/// One language's page strings as every template gets them (`t.key`), turned into Leaf's data once.
///
/// The layout hands each page the whole table (about 550 strings), and Leaf's encoder walked it key
/// by key on every page: 11 % of the board page's CPU in a profile. Leaf takes a
/// `LeafDataRepresentable` value as it is, so the table is converted when the strings are loaded.
public struct PageStrings: Encodable, LeafDataRepresentable, Sendable {
    public let table: [String: String]
    public let leafData: LeafData

    public init(_ table: [String: String]) {
        self.table = table
        leafData = .dictionary(table.mapValues { .string($0) })
    }

    /// Outside Leaf (a JSON encoder, say) it is the plain table.
    public func encode(to encoder: any Encoder) throws {
        try table.encode(to: encoder)
    }
}
