import Foundation

/// Reading one record's cells into typed values, adding a problem that names the row and the
/// column (in its header label) when a cell does not fit.
struct ImportCells {
    let record: [String]
    let row: Int
    let header: ImportHeader
    let columns: [ImportColumn]
    let localizer: Localizer

    func has(_ field: String) -> Bool { header.has(field) }
    func cell(_ field: String) -> String { header.value(field, in: record) }

    /// The column's header label in both languages, for messages.
    func label(_ field: String) -> (ja: String, en: String) {
        let key = columns.first { $0.field == field }?.labelKey ?? field
        return (localizer.text(key, .ja), localizer.text(key, .en))
    }

    func problem(_ field: String, _ problems: inout ImportProblems, ja: String, en: String) {
        problems.add(row: row, field: field, ja: ja, en: en)
    }

    /// Text of at most `max` characters; nil (with a problem) when required and blank or too long.
    func text(_ field: String, max: Int, required: Bool, _ problems: inout ImportProblems) -> String? {
        let value = cell(field)
        let name = label(field)
        if required && value.isEmpty {
            problem(field, &problems, ja: "「\(name.ja)」を入力してください。", en: "'\(name.en)' is required.")
            return nil
        }
        let length = ImportText.length(value)
        if length > max {
            problem(field, &problems, ja: "「\(name.ja)」は\(max)文字以内にしてください（\(length)文字あります）。",
                    en: "'\(name.en)' must be at most \(max) characters (it has \(length)).")
            return nil
        }
        return value
    }

    /// A whole number in `range` (thousands separators are fine): `.blank` for an empty cell of an
    /// optional column, `.invalid` (with a problem) when it does not fit.
    func integer(_ field: String, in range: ClosedRange<Int>, required: Bool, _ problems: inout ImportProblems) -> Checked<Int> {
        let value = ImportText.key(cell(field)).replacingOccurrences(of: ",", with: "")
        let name = label(field)
        if value.isEmpty {
            if !required { return .blank }
            problem(field, &problems, ja: "「\(name.ja)」を入力してください。", en: "'\(name.en)' is required.")
            return .invalid
        }
        guard let number = Int(value), range.contains(number) else {
            problem(field, &problems,
                    ja: "「\(name.ja)」は\(range.lowerBound)〜\(range.upperBound)の整数で入力してください（「\(cell(field))」）。",
                    en: "'\(name.en)' must be a whole number from \(range.lowerBound) to \(range.upperBound) (got '\(cell(field))').")
            return .invalid
        }
        return .value(number)
    }

    /// A number with at most two decimals in `range` (a percentage), blank allowed.
    func decimal(_ field: String, in range: ClosedRange<Double>, _ problems: inout ImportProblems) -> Checked<Double> {
        var value = ImportText.key(cell(field))
        if value.hasSuffix("%") { value = String(value.dropLast()).trimmingCharacters(in: .whitespaces) }
        if value.isEmpty { return .blank }
        let name = label(field)
        guard value.wholeMatch(of: /[0-9]+(\.[0-9]{1,2})?/) != nil, let number = Double(value), range.contains(number) else {
            problem(field, &problems,
                    ja: "「\(name.ja)」は\(Int(range.lowerBound))〜\(Int(range.upperBound))の数（小数点以下2桁まで）で入力してください（「\(cell(field))」）。",
                    en: "'\(name.en)' must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)) with at most two decimals (got '\(cell(field))').")
            return .invalid
        }
        return .value(number)
    }

    /// A code of a vocabulary, by code or label; blank gives `blank` (nil = required).
    func code(_ field: String, in codes: [String], prefix: String, vocabulary: ImportVocabulary, blank: String?,
              _ problems: inout ImportProblems) -> String? {
        let value = cell(field)
        let name = label(field)
        if value.isEmpty {
            if let blank { return blank }
            problem(field, &problems, ja: "「\(name.ja)」を入力してください。", en: "'\(name.en)' is required.")
            return nil
        }
        guard let code = vocabulary.code(value, in: codes, prefix: prefix) else {
            let allowed = vocabulary.labels(codes, prefix: prefix)
            problem(field, &problems, ja: "「\(name.ja)」の「\(value)」はありません。次のいずれかです: \(allowed.ja)",
                    en: "'\(name.en)': '\(value)' is not one of: \(allowed.en)")
            return nil
        }
        return code
    }
}

/// A checked cell: a value, blank (allowed), or invalid (a problem was recorded).
enum Checked<Value: Sendable>: Sendable {
    case value(Value), blank, invalid

    var isInvalid: Bool { if case .invalid = self { true } else { false } }
    var value: Value? { if case .value(let value) = self { value } else { nil } }
}
