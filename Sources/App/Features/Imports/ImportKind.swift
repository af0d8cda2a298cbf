import Foundation
import PostgresNIO

/// What a file can be imported as.
enum ImportKind: String, Sendable, CaseIterable {
    case needs
    case districtProfiles = "district_profiles"

    /// In URLs (template downloads).
    var slug: String { rawValue.replacingOccurrences(of: "_", with: "-") }
    init?(slug: String) { self.init(rawValue: slug.replacingOccurrences(of: "-", with: "_")) }

    var titleKey: String { "import_kind_" + rawValue }

    var columns: [ImportColumn] {
        switch self {
        case .needs: NeedImport.columns
        case .districtProfiles: DistrictProfileImport.columns
        }
    }

    var previewKeys: [String] {
        switch self {
        case .needs: NeedImport.previewKeys
        case .districtProfiles: DistrictProfileImport.previewKeys
        }
    }
}

/// The checked rows of a file, ready to write.
enum ImportRecords: Sendable {
    case needs([NeedImport.Record])
    case districtProfiles([DistrictProfileImport.Record])

    var count: Int {
        switch self {
        case .needs(let records): records.count
        case .districtProfiles(let records): records.count
        }
    }

    func preview(_ localizer: Localizer, _ language: UILanguage, first: Int) -> [[String]] {
        switch self {
        case .needs(let records): records.prefix(first).map { NeedImport.preview($0, localizer, language) }
        case .districtProfiles(let records): records.prefix(first).map { DistrictProfileImport.preview($0, localizer, language) }
        }
    }
}

/// A file read and checked: its data rows, every problem, and the records when there is none.
struct CheckedImport: Sendable {
    static let maxRows = 10_000

    var rowCount: Int
    var problems: ImportProblems
    var records: ImportRecords

    var isValid: Bool { problems.isEmpty }

    static func check(_ text: String, kind: ImportKind, vocabulary: ImportVocabulary) -> CheckedImport {
        var problems = ImportProblems()
        let empty: ImportRecords = kind == .needs ? .needs([]) : .districtProfiles([])
        let records: [[String]]
        do {
            records = try CSVReader.records(text)
        } catch {
            problems.add(row: error.row, field: nil, ja: "\(error.row)行目の「\"」で始まるセルが閉じていません。ファイルが途中で切れていないか確認してください。",
                         en: "Row \(error.row): a cell that starts with \" is never closed. Check that the file is complete.")
            return CheckedImport(rowCount: 0, problems: problems, records: empty)
        }
        // Rows with no text at all (Excel leaves some at the end) are not data.
        let data = records.enumerated().dropFirst().filter { !$0.element.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let headerCells = records.first, headerCells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            problems.add(row: nil, field: nil, ja: "ファイルが空です。1行目に列名、2行目から1行に1件を書いてください。",
                         en: "The file is empty. Put the column names in the first row and one record a row below it.")
            return CheckedImport(rowCount: 0, problems: problems, records: empty)
        }
        let header = ImportHeader.match(headerCells, columns: kind.columns, localizer: vocabulary.localizer, problems: &problems)
        if data.isEmpty {
            problems.add(row: nil, field: nil, ja: "データの行がありません（1行目の列名だけです）。",
                         en: "There are no data rows (only the header row).")
        }
        if data.count > maxRows {
            problems.add(row: nil, field: nil, ja: "行が多すぎます（\(data.count)行）。1回に\(maxRows)行までです。ファイルを分けてください。",
                         en: "Too many rows (\(data.count)); at most \(maxRows) at a time. Split the file.")
        }
        // Without the required columns every row would repeat the same problem.
        guard problems.isEmpty else { return CheckedImport(rowCount: data.count, problems: problems, records: empty) }
        let columnCount = headerCells.count
        var needs: [NeedImport.Record] = []
        var profiles: [DistrictProfileImport.Record] = []
        var seen: [String: Int] = [:]
        for (index, record) in data {
            let row = index + 1
            if record.count > columnCount, record[columnCount...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.add(row: row, field: nil, ja: "\(row)行目のセルが列名より多くあります（\(record.count)個、列は\(columnCount)個）。",
                             en: "Row \(row) has more cells (\(record.count)) than there are columns (\(columnCount)).")
                continue
            }
            let cells = ImportCells(record: record, row: row, header: header, columns: kind.columns, localizer: vocabulary.localizer)
            switch kind {
            case .needs:
                if let need = NeedImport.record(cells, vocabulary: vocabulary, problems: &problems) { needs.append(need) }
            case .districtProfiles:
                guard let profile = DistrictProfileImport.record(cells, vocabulary: vocabulary, problems: &problems) else { continue }
                let key = DistrictProfileImport.key(profile)
                if let first = seen[key] {
                    problems.add(row: row, field: "district",
                                 ja: "\(row)行目は\(first)行目と同じ地区・年次・出典です。1つにまとめてください。",
                                 en: "Row \(row) has the same district, year and source as row \(first). Keep one of them.")
                } else {
                    seen[key] = row
                    profiles.append(profile)
                }
            }
        }
        let checked: ImportRecords = kind == .needs ? .needs(needs) : .districtProfiles(profiles)
        return CheckedImport(rowCount: data.count, problems: problems, records: checked)
    }
}
