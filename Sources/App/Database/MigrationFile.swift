import Foundation
import Crypto

/// One `Migrations/V0001__name.sql` file, Flyway-style.
public struct MigrationFile: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String
    /// Hex SHA-256 of the file's bytes: an applied file must never change.
    public var checksum: String

    public var label: String { String(format: "V%04d__%@", version, name) }

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `V<number>__<name>.sql` in `directory`, ordered by version.
    /// Any other `.sql` file, or two files with one version, is an error: silently skipping
    /// a misnamed migration is how schemas drift.
    public static func load(from directory: String) throws -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError.directoryUnreadable(directory)
        }
        var files: [MigrationFile] = []
        for fileName in names where fileName.hasSuffix(".sql") {
            guard let (version, name) = parse(fileName) else { throw MigrationError.badFileName(fileName) }
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path), let sql = String(data: data, encoding: .utf8) else {
                throw MigrationError.directoryUnreadable(path)
            }
            if let other = files.first(where: { $0.version == version }) {
                throw MigrationError.duplicateVersion(version, other.label, fileName)
            }
            files.append(MigrationFile(version: version, name: name, sql: sql))
        }
        return files.sorted { $0.version < $1.version }
    }

    static func parse(_ fileName: String) -> (Int, String)? {
        guard fileName.hasPrefix("V"), fileName.hasSuffix(".sql"),
              let separator = fileName.range(of: "__") else { return nil }
        let digits = fileName[fileName.index(after: fileName.startIndex)..<separator.lowerBound]
        let name = fileName[separator.upperBound..<fileName.index(fileName.endIndex, offsetBy: -4)]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let version = Int(digits), version > 0,
              !name.isEmpty else { return nil }
        return (version, String(name))
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case directoryUnreadable(String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case checksumChanged(version: Int, name: String)
    case fileMissing(version: Int, name: String)
    case behind(pending: [String])
    case failed(file: String, message: String)

    public var description: String {
        switch self {
        case .directoryUnreadable(let path):
            "Cannot read migrations at \(path)"
        case .badFileName(let name):
            "Migration file \(name) is not named V<number>__<name>.sql"
        case .duplicateVersion(let version, let first, let second):
            "Two migration files have version \(version): \(first) and \(second)"
        case .checksumChanged(let version, let name):
            "Migration V\(String(format: "%04d", version))__\(name) was changed after it was applied "
                + "(checksum differs). Applied migrations are never edited: restore the file and add a new one."
        case .fileMissing(let version, let name):
            "Migration V\(String(format: "%04d", version))__\(name) is applied in the database but its file is missing."
        case .behind(let pending):
            "The database is behind: \(pending.count) pending migration(s): \(pending.joined(separator: ", ")). "
                + "Run `tsunagu migrate` first."
        case .failed(let file, let message):
            "Migration \(file) failed and was rolled back: \(message)"
        }
    }
}
