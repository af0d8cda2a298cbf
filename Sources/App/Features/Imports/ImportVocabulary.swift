import Foundation
import PostgresNIO

/// The real vocabularies a file is checked against, read once per check: wards and their
/// districts from the database, coded values (domains, sources, statuses) by code or by their
/// label in either UI language.
struct ImportVocabulary: Sendable {
    struct Ward: Sendable { var code: String; var nameJa: String; var nameEn: String }
    var wards: [Ward]
    /// ward code → normalised district name → (id, name as stored).
    var districts: [String: [String: (id: UUID, name: String)]]
    var localizer: Localizer

    static func load(on connection: PostgresConnection, localizer: Localizer, logger: Logger) async throws -> ImportVocabulary {
        var wards: [Ward] = []
        for try await (code, ja, en) in try await connection.query(
            "SELECT code, name_ja, name_en FROM wards ORDER BY position", logger: logger).decode((String, String, String).self) {
            wards.append(Ward(code: code, nameJa: ja, nameEn: en))
        }
        var districts: [String: [String: (id: UUID, name: String)]] = [:]
        for try await (id, ward, name) in try await connection.query(
            "SELECT id, ward_code, name_ja FROM districts", logger: logger).decode((UUID, String, String).self) {
            districts[ward, default: [:]][ImportText.key(name)] = (id, name)
        }
        return ImportVocabulary(wards: wards, districts: districts, localizer: localizer)
    }

    /// A ward by its code (14134), Japanese name (高津区, or 高津) or English name (Takatsu-ku).
    func ward(_ text: String) -> Ward? {
        let key = ImportText.key(text)
        return wards.first { ward in
            [ward.code, ward.nameJa, ward.nameEn, String(ward.nameJa.dropLast())].map(ImportText.key).contains(key)
        }
    }

    var wardList: (ja: String, en: String) {
        (wards.map(\.nameJa).joined(separator: "、"), wards.map(\.nameEn).joined(separator: ", "))
    }

    func district(_ name: String, ward: String) -> (id: UUID, name: String)? {
        districts[ward]?[ImportText.key(name)]
    }

    /// A code of `codes` given as the code itself or as its label (`prefix + code`) in either
    /// language; for labels with a leading numeral (「I 予防・自立支援」) the words alone also do.
    func code(_ text: String, in codes: [String], prefix: String) -> String? {
        let key = ImportText.key(text)
        for code in codes {
            var names = [code]
            for language in UILanguage.allCases {
                let label = localizer.text(prefix + code, language)
                names.append(label)
                if let space = label.firstIndex(of: " "), label[..<space].allSatisfy({ "IVX0123456789".contains($0) }) {
                    names.append(String(label[label.index(after: space)...]))
                }
            }
            if names.map(ImportText.key).contains(key) { return code }
        }
        return nil
    }

    /// The labels of `codes` in both languages, for messages that list what is allowed.
    func labels(_ codes: [String], prefix: String) -> (ja: String, en: String) {
        (codes.map { localizer.text(prefix + $0, .ja) }.joined(separator: "、"),
         codes.map { localizer.text(prefix + $0, .en) }.joined(separator: ", "))
    }
}
