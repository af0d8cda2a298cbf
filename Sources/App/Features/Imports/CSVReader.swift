/// Reads CSV as spreadsheets write it (RFC 4180): cells separated by commas, records by CRLF, LF
/// or CR; a quoted cell may hold commas, line breaks and doubled quotes. Lenient where Excel is
/// (text after a closing quote is kept), strict where a file is cut off (an unclosed quote).
enum CSVReader {
    struct UnclosedQuote: Error, Equatable {
        /// The spreadsheet row (1 = the header) whose quoted cell never closes.
        var row: Int
    }

    /// Every record, blank lines included (so index + 1 is the row number a spreadsheet shows).
    static func records(_ text: String) throws(UnclosedQuote) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var cell = String.UnicodeScalarView()
        var quoted = false, afterQuote = false, startedQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endCell() {
            record.append(String(cell))
            cell = String.UnicodeScalarView()
            startedQuoted = false
            afterQuote = false
        }
        func endRecord() {
            endCell()
            records.append(record)
            record = []
        }
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" { cell.append("\"") } else { quoted = false; afterQuote = true; pending = next }
                } else {
                    cell.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                endCell()
            case "\r":
                let next = scalars.next()
                if next != "\n" { pending = next }
                endRecord()
            case "\n":
                endRecord()
            case "\"" where cell.isEmpty && !afterQuote && !startedQuoted:
                quoted = true
                startedQuoted = true
            default:
                cell.append(scalar)
            }
        }
        if quoted { throw UnclosedQuote(row: records.count + 1) }
        // A last record without a line end; a final line end does not start an empty record.
        if !cell.isEmpty || !record.isEmpty || startedQuoted { endRecord() }
        return records
    }

    /// Our exports put ' before a cell starting with = + - @ (or a tab or CR) so spreadsheets never
    /// run it as a formula; imported back, the cell is the original text again.
    static func unneutralised(_ cell: String) -> String {
        let scalars = cell.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first,
              "=+-@\t\r".unicodeScalars.contains(second) else { return cell }
        return String(cell.dropFirst())
    }
}
