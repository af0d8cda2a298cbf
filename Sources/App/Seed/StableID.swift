import Foundation
import Crypto

/// Name-based UUIDs (version 8, from SHA-256) so that seeding twice makes the same rows,
/// and demo data is identical on every machine.
enum StableID {
    static func make(_ namespace: String, _ key: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("tsunagu:\(namespace):\(key)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    static let cityCouncil = make("council", "kawasaki")
    static func district(wardCode: String, name: String) -> UUID { make("district", "\(wardCode)/\(name)") }
}
