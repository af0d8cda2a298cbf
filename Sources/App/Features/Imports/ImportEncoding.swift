import Foundation

/// How an uploaded file's bytes were read. Japanese Excel saves "CSV" as Shift_JIS (CP932) and
/// "CSV UTF-8" with a byte-order mark; other tools write plain UTF-8. A file that is valid UTF-8
/// is read as UTF-8 (Shift_JIS text is almost never valid UTF-8); otherwise as Shift_JIS.
enum ImportEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf8"
    case utf8BOM = "utf8_bom"
    case shiftJIS = "shift_jis"

    /// The name shown on the preview page (the same in both languages but for the BOM note).
    func label(_ language: UILanguage) -> String {
        switch self {
        case .utf8: "UTF-8"
        case .utf8BOM: language == .ja ? "UTF-8（BOM付き）" : "UTF-8 with BOM"
        case .shiftJIS: "Shift_JIS"
        }
    }

    enum Failure: Error, Equatable {
        /// UTF-16 ("Unicode text" in Excel): NUL bytes everywhere.
        case utf16
        case unreadable
    }

    static func decode(_ data: Data) throws(Failure) -> (text: String, encoding: ImportEncoding) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) || data.contains(0) { throw .utf16 }
        if data.starts(with: bom) {
            guard let text = String(validating: data.dropFirst(3), as: UTF8.self) else { throw .unreadable }
            return (text, .utf8BOM)
        }
        if let text = String(validating: data, as: UTF8.self) { return (text, .utf8) }
        if let text = String(data: data, encoding: .shiftJIS) { return (text, .shiftJIS) }
        throw .unreadable
    }
}
