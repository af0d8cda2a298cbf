import Foundation

/// Why an upload or a confirm is refused, with the status it answers.
enum ImportErrors {
    static let emptyFile = AppError(.unprocessableEntity, code: "file_missing", field: "file",
                                    ja: "CSVファイルを選んでください（選ばれていないか、空のファイルです）。",
                                    en: "Choose a CSV file (none was chosen, or it is empty).")

    static func tooLarge(bytes: Int?) -> AppError {
        let limit = ImportBatches.maxBytes / 1_048_576
        let size = bytes.map { String(format: "%.1f", Double($0) / 1_048_576) }
        return AppError(.payloadTooLarge, code: "file_too_large", field: "file",
                        ja: "ファイルが大きすぎます\(size.map { "（\($0) MB）" } ?? "")。1回に\(limit) MBまでです。ファイルを分けてアップロードしてください。",
                        en: "The file is too large\(size.map { " (\($0) MB)" } ?? ""). The limit is \(limit) MB at a time: split it into smaller files.")
    }

    static func unreadable(_ failure: ImportEncoding.Failure) -> AppError {
        switch failure {
        case .utf16:
            AppError(.unprocessableEntity, code: "file_encoding", field: "file",
                     ja: "このファイルはUTF-16（Excelの「Unicode テキスト」）のようです。Excelで「CSV UTF-8（コンマ区切り）」または「CSV（コンマ区切り）」として保存してください。",
                     en: "This file looks like UTF-16 (Excel's \"Unicode Text\"). Save it from Excel as \"CSV UTF-8 (Comma delimited)\" or \"CSV (Comma delimited)\".")
        case .unreadable:
            AppError(.unprocessableEntity, code: "file_encoding", field: "file",
                     ja: "ファイルの文字コードを読み取れません。UTF-8またはShift_JISのCSVにしてください（Excelでは「CSV UTF-8（コンマ区切り）」で保存）。",
                     en: "The file's character encoding could not be read. Use a CSV in UTF-8 or Shift_JIS (in Excel: save as \"CSV UTF-8 (Comma delimited)\").")
        }
    }

    static let unknownKind = AppError(.unprocessableEntity, code: "invalid_field", field: "kind",
                                      ja: "取り込む種類を選んでください。", en: "Choose what to import.")

    static let notYours = AppError(.forbidden, code: "forbidden",
                                   ja: "この取り込みは別のユーザーがアップロードしたものです。アップロードした本人だけが確認・確定できます。",
                                   en: "Another user uploaded this import. Only the person who uploaded it can review and confirm it.")

    static let expired = AppError(.gone, code: "import_expired",
                                  ja: "このアップロードは有効期限（24時間）が過ぎました。もう一度アップロードしてください。",
                                  en: "This upload has expired (after 24 hours). Please upload the file again.")

    static func hasProblems(_ count: Int) -> AppError {
        AppError(.unprocessableEntity, code: "import_has_problems",
                 ja: "このファイルには問題が\(count)件あるため、取り込めません（何も書き込んでいません）。直してからもう一度アップロードしてください。",
                 en: "This file has \(count) problem(s), so nothing was imported. Fix them and upload the file again.")
    }
}
