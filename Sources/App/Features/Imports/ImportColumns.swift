import Foundation

/// A column an import understands: its field code, the localisation key of its header (our
/// exports and templates write that label, in Japanese or English), and other accepted names.
struct ImportColumn: Sendable {
    var field: String
    var labelKey: String
    var aliases: [String] = []
    var required: Bool = false
}

/// The header row matched to columns: which cell of a record holds which field.
struct ImportHeader: Sendable {
    var positions: [String: Int] = [:]

    func has(_ field: String) -> Bool { positions[field] != nil }

    /// The cell of `field` in `record`, trimmed, with our exports' formula guard taken off.
    func value(_ field: String, in record: [String]) -> String {
        guard let index = positions[field], index < record.count else { return "" }
        return CSVReader.unneutralised(record[index].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Matches the header cells to `columns`; unknown, repeated and missing required columns are problems.
    static func match(_ cells: [String], columns: [ImportColumn], localizer: Localizer,
                      problems: inout ImportProblems) -> ImportHeader {
        var names: [String: String] = [:]
        for column in columns {
            for name in [column.field, localizer.text(column.labelKey, .ja), localizer.text(column.labelKey, .en)] + column.aliases {
                names[ImportText.key(name)] = column.field
            }
        }
        var header = ImportHeader()
        for (index, raw) in cells.enumerated() {
            let cell = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if cell.isEmpty { continue }
            guard let field = names[ImportText.key(cell)] else {
                let known = columns.map { localizer.text($0.labelKey, .ja) }.joined(separator: "、")
                let knownEn = columns.map { localizer.text($0.labelKey, .en) }.joined(separator: ", ")
                problems.add(row: 1, field: nil, ja: "列「\(cell)」は使えません。使える列: \(known)",
                             en: "Column '\(cell)' is not known. Known columns: \(knownEn)")
                continue
            }
            if header.positions[field] != nil {
                problems.add(row: 1, field: field, ja: "列「\(cell)」が2回あります。", en: "Column '\(cell)' appears twice.")
                continue
            }
            header.positions[field] = index
        }
        for column in columns where column.required && header.positions[column.field] == nil {
            problems.add(row: 1, field: column.field,
                         ja: "必須の列「\(localizer.text(column.labelKey, .ja))」がありません。",
                         en: "The required column '\(localizer.text(column.labelKey, .en))' is missing.")
        }
        return header
    }
}

/// How cells are compared with names and codes: width-folded (NFKC), case-folded, spaces collapsed.
enum ImportText {
    static func key(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Characters as the database's length() counts them (code points), so a checked value always fits.
    static func length(_ text: String) -> Int { text.unicodeScalars.count }
}
