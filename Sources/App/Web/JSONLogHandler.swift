import Foundation
import Logging

/// One JSON object per line, for log collectors. Vapor puts the request id into every request
/// logger's metadata, so each line of a request carries it. Only what code logs is written:
/// nothing here logs passwords, tokens or proposal bodies.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
        fields["ts"] = ISO8601DateFormatter().string(from: Date())
        fields["level"] = level.rawValue
        fields["logger"] = label
        fields["message"] = message.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(fields) { write(String(decoding: data, as: UTF8.self)) }
    }
}
