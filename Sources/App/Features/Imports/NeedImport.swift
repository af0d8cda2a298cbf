import Foundation
import PostgresNIO

/// Regional needs (地域ニーズ) from CSV: the columns our needs export writes (in Japanese or
/// English), so an exported file imports back. Every row becomes a new need of the council.
enum NeedImport {
    static let columns: [ImportColumn] = [
        ImportColumn(field: "title", labelKey: "need_title", aliases: ["タイトル", "件名"], required: true),
        // The export writes 「高津区 橘地区」 here; a separate district column is also read.
        ImportColumn(field: "ward", labelKey: "ward", aliases: ["区・地区", "place"], required: true),
        ImportColumn(field: "district", labelKey: "import_district", aliases: ["district_name"]),
        ImportColumn(field: "domain", labelKey: "domain", required: true),
        ImportColumn(field: "severity", labelKey: "need_severity", required: true),
        ImportColumn(field: "wanted", labelKey: "need_wanted"),
        ImportColumn(field: "status", labelKey: "status"),
        ImportColumn(field: "source", labelKey: "need_source", required: true),
        ImportColumn(field: "tags", labelKey: "tags"),
        ImportColumn(field: "description", labelKey: "description"),
    ]

    struct Record: Sendable {
        var title: String
        var wardCode: String
        var wardName: String
        var districtID: UUID?
        var districtName: String?
        var domain: String
        var severity: Int
        var wanted: Int
        var status: String
        var source: String
        var tags: [String]
        var description: String
    }

    static func record(_ cells: ImportCells, vocabulary: ImportVocabulary, problems: inout ImportProblems) -> Record? {
        let before = problems.count
        let title = cells.text("title", max: 200, required: true, &problems)
        let place = self.place(cells, vocabulary: vocabulary, problems: &problems)
        let domain = cells.code("domain", in: DomainCode.codes, prefix: "domain_", vocabulary: vocabulary, blank: nil, &problems)
        let severity = cells.integer("severity", in: 1...5, required: true, &problems)
        let wanted = cells.integer("wanted", in: 1...20, required: false, &problems)
        let status = cells.code("status", in: NeedStatus.codes, prefix: "need_status_", vocabulary: vocabulary, blank: "open", &problems)
        let source = cells.code("source", in: NeedSource.codes, prefix: "source_", vocabulary: vocabulary, blank: nil, &problems)
        let description = cells.text("description", max: 4000, required: false, &problems)
        let tags = self.tags(cells, &problems)
        guard problems.count == before, let title, let place, let domain, let severity = severity.value, let status,
              let source, let description, let tags else { return nil }
        return Record(title: title, wardCode: place.ward.code, wardName: place.ward.nameJa, districtID: place.district?.id,
                      districtName: place.district?.name, domain: domain, severity: severity, wanted: wanted.value ?? 1,
                      status: status, source: source, tags: tags, description: description)
    }

    /// 「高津区」, 「高津区 橘地区」 (as exported) or a ward plus a district column.
    static func place(_ cells: ImportCells, vocabulary: ImportVocabulary, problems: inout ImportProblems)
        -> (ward: ImportVocabulary.Ward, district: (id: UUID, name: String)?)? {
        let given = ImportText.key(cells.cell("ward"))
        var wardText = given, districtText = ImportText.key(cells.cell("district"))
        if vocabulary.ward(given) == nil, let space = given.firstIndex(of: " ") {
            wardText = String(given[..<space])
            if districtText.isEmpty { districtText = String(given[given.index(after: space)...]) }
        }
        let name = cells.label("ward")
        if given.isEmpty {
            cells.problem("ward", &problems, ja: "「\(name.ja)」を入力してください。", en: "'\(name.en)' is required.")
            return nil
        }
        guard let ward = vocabulary.ward(wardText) else {
            let list = vocabulary.wardList
            cells.problem("ward", &problems, ja: "区「\(cells.cell("ward"))」はありません。次のいずれかです: \(list.ja)",
                          en: "Ward '\(cells.cell("ward"))' does not exist. Wards: \(list.en)")
            return nil
        }
        if districtText.isEmpty { return (ward, nil) }
        guard let district = vocabulary.district(districtText, ward: ward.code) else {
            let field = cells.has("district") && !cells.cell("district").isEmpty ? "district" : "ward"
            cells.problem(field, &problems,
                          ja: "地区「\(districtText)」は\(ward.nameJa)に登録されていません（地区は地区カルテの取り込みで登録できます）。",
                          en: "District '\(districtText)' is not registered in \(ward.nameEn) (import district profiles to add districts).")
            return nil
        }
        return (ward, district)
    }

    /// Tags separated by 、 , ， or ; (the export writes 、), each at most 50 characters, at most 30.
    static func tags(_ cells: ImportCells, _ problems: inout ImportProblems) -> [String]? {
        let tags = cells.cell("tags").split(whereSeparator: { "、,，;；".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let name = cells.label("tags")
        if tags.count > 30 {
            cells.problem("tags", &problems, ja: "「\(name.ja)」は30個までです（\(tags.count)個あります）。",
                          en: "'\(name.en)': at most 30 tags (there are \(tags.count)).")
            return nil
        }
        if let long = tags.first(where: { ImportText.length($0) > 50 }) {
            cells.problem("tags", &problems, ja: "「\(name.ja)」の「\(long.prefix(20))…」が長すぎます（1つ50文字まで）。",
                          en: "'\(name.en)': '\(long.prefix(20))…' is too long (50 characters each).")
            return nil
        }
        return tags
    }

    static func preview(_ record: Record, _ localizer: Localizer, _ language: UILanguage) -> [String] {
        [record.title, [record.wardName, record.districtName].compactMap { $0 }.joined(separator: " "),
         localizer.text("domain_" + record.domain, language), String(record.severity), String(record.wanted),
         localizer.text("need_status_" + record.status, language), localizer.text("source_" + record.source, language),
         record.tags.joined(separator: "、")]
    }

    static let previewKeys = ["need_title", "ward", "domain", "need_severity", "need_wanted", "status", "need_source", "tags"]

    /// Inserts every record; the caller's transaction makes it all or nothing.
    static func write(_ records: [Record], councilID: UUID, userID: UUID, on connection: PostgresConnection,
                      logger: Logger) async throws -> ImportResult {
        for record in records {
            try await connection.query("""
                INSERT INTO needs (id, council_id, ward_code, district_id, domain, title, description, tags, severity,
                                   source, wanted, status, created_by)
                VALUES (\(UUID()), \(councilID), \(record.wardCode), \(record.districtID), \(record.domain), \(record.title),
                        \(record.description), \(record.tags), \(Int16(record.severity)), \(record.source),
                        \(Int16(record.wanted)), \(record.status), \(userID))
                """, logger: logger)
        }
        return ImportResult(created: records.count, updated: 0)
    }
}

/// What the confirm step wrote.
struct ImportResult: Codable, Sendable, Equatable {
    var created: Int
    var updated: Int
}
