/// One thing wrong with an uploaded file: where (the spreadsheet row, 1 = the header, and the
/// column) and what, in both UI languages. A file with any problem imports nothing.
struct ImportProblem: Sendable, Equatable {
    /// nil for the file as a whole.
    var row: Int?
    /// The column's field code (see ImportColumn); nil for the whole row or file.
    var field: String?
    var ja: String
    var en: String

    func message(_ language: UILanguage) -> String { language == .ja ? ja : en }
}

/// The problems of one file, with a cap so a wholly wrong file still gives a readable page.
struct ImportProblems: Sendable {
    static let shownAtMost = 200
    private(set) var items: [ImportProblem] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func add(row: Int?, field: String?, ja: String, en: String) {
        count += 1
        if items.count < Self.shownAtMost { items.append(ImportProblem(row: row, field: field, ja: ja, en: en)) }
    }
}
