import Foundation

/// One plain-text e-mail in UTF-8, written as RFC 5322 text for SMTP's DATA.
struct MailMessage: Sendable, Equatable {
    var from: String
    var to: String
    var subject: String
    var body: String
    var messageID: String = UUID().uuidString.lowercased()
    var date: Date = Date()

    /// An address without display name, quotes, spaces or line breaks: all this client sends.
    static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.count <= 320
            && address.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>()[],;:\"\\".unicodeScalars.contains($0) }
    }

    /// The message as sent after DATA, lines ending in CRLF, not yet dot-stuffed. The body goes as
    /// 8bit when the server announced 8BITMIME and every line is short enough; otherwise base64.
    func rendered(eightBit: Bool) -> String {
        // Line ends normalised, and the body ends with one, whichever transfer encoding is used.
        var normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !normalised.hasSuffix("\n") { normalised += "\n" }
        let lines = normalised.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        let use8bit = eightBit && lines.allSatisfy { $0.utf8.count <= 998 }
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        var text = "From: \(from)\r\n"
        text += "To: \(to)\r\n"
        text += "Subject: \(Self.encodedWords(subject))\r\n"
        text += "Date: \(Self.rfc5322Date(date))\r\n"
        text += "Message-ID: <\(messageID)@\(domain)>\r\n"
        text += "MIME-Version: 1.0\r\n"
        text += "Content-Type: text/plain; charset=UTF-8\r\n"
        if use8bit {
            text += "Content-Transfer-Encoding: 8bit\r\n\r\n"
            text += lines.joined(separator: "\r\n") + "\r\n"
        } else {
            text += "Content-Transfer-Encoding: base64\r\n\r\n"
            let encoded = Data(normalised.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
            var index = encoded.startIndex
            while index < encoded.endIndex {
                let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
                text += encoded[index..<end] + "\r\n"
                index = end
            }
        }
        return text
    }

    /// RFC 2047 B-encoded words, each at most 75 characters and never splitting a character,
    /// folded onto continuation lines. Plain ASCII without `=?` goes as it is.
    static func encodedWords(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }), !flat.contains("=?"), flat.utf8.count <= 900 {
            return flat
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            // 45 bytes → 60 base64 characters; with "=?UTF-8?B?" and "?=" that is 72 ≤ 75.
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// SMTP's transparency rule (RFC 5321 4.5.2): a line that starts with "." gets one more.
    static func dotStuffed(_ text: String) -> String {
        text.components(separatedBy: "\r\n")
            .map { $0.hasPrefix(".") ? "." + $0 : $0 }
            .joined(separator: "\r\n")
    }

    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let time = String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        return "\(days[(c.weekday ?? 1) - 1]), \(String(format: "%02d", c.day ?? 1)) \(months[(c.month ?? 1) - 1]) "
            + "\(String(format: "%04d", c.year ?? 1970)) \(time) +0900"
    }
}
