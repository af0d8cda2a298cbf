/// Splits a SQL file into its statements, so each can run through the extended protocol
/// (PostgresNIO sends every query that way, and it takes one statement at a time).
/// Semicolons inside quotes, dollar-quoted bodies and comments do not split.
enum SQLScript {
    static func statements(_ sql: String) -> [String] {
        let characters = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty, !isOnlyComments(statement) { statements.append(statement) }
            current = String.UnicodeScalarView()
        }

        while index < characters.count {
            let c = characters[index]
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            if c == "-" && next == "-" {                       // line comment
                while index < characters.count && characters[index] != "\n" { current.append(characters[index]); index += 1 }
                continue
            }
            if c == "/" && next == "*" {                       // block comment
                current.append(c); current.append("*"); index += 2
                while index < characters.count && !(characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/") {
                    current.append(characters[index]); index += 1
                }
                if index < characters.count { current.append("*"); current.append("/"); index += 2 }
                continue
            }
            if c == "'" || c == "\"" {                          // quoted literal or identifier ('' escapes itself)
                current.append(c); index += 1
                while index < characters.count {
                    current.append(characters[index])
                    if characters[index] == c { index += 1; break }
                    index += 1
                }
                continue
            }
            if c == "$", let tag = dollarTag(characters, at: index) {   // $$ … $$ or $tag$ … $tag$
                current.append(contentsOf: tag.unicodeScalars); index += tag.unicodeScalars.count
                let closing = Array(tag.unicodeScalars)
                while index < characters.count {
                    if characters[index] == "$", index + closing.count <= characters.count,
                       Array(characters[index..<index + closing.count]) == closing {
                        current.append(contentsOf: closing); index += closing.count; break
                    }
                    current.append(characters[index]); index += 1
                }
                continue
            }
            if c == ";" { flush(); index += 1; continue }
            current.append(c); index += 1
        }
        flush()
        return statements
    }

    private static func dollarTag(_ characters: [Unicode.Scalar], at start: Int) -> String? {
        var index = start + 1
        var tag = "$"
        while index < characters.count {
            let c = characters[index]
            if c == "$" { return tag + "$" }
            guard c.properties.isAlphabetic || c == "_" || (index > start + 1 && ("0"..."9").contains(c)) else { return nil }
            tag.unicodeScalars.append(c); index += 1
        }
        return nil
    }

    private static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
    }
}
