import Foundation
import NIOCore
import NIOPosix

/// A minimal SMTP client over SwiftNIO, for one message per connection: EHLO (HELO if refused),
/// AUTH PLAIN only when credentials are configured, MAIL FROM, RCPT TO, DATA with dot-stuffing,
/// QUIT. No TLS: it talks to a relay on a trusted network (README says so).
struct SMTPClient: Sendable {
    var settings: SMTPSettings
    /// The name given in EHLO.
    var clientName = "tsunagu"
    /// The whole conversation, connection included, must finish within this.
    var timeout: TimeAmount = .seconds(30)

    func send(_ message: MailMessage) async throws {
        guard MailMessage.isPlainAddress(message.to) else { throw SMTPError.invalidAddress(message.to) }
        guard MailMessage.isPlainAddress(message.from) else { throw SMTPError.invalidAddress(message.from) }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError.connectionFailed("\(settings.host):\(settings.port): \(error)")
        }
        // A server that stops answering is cut off: closing the channel ends the inbound stream.
        let underlying = channel.channel
        let deadline = underlying.eventLoop.scheduleTask(in: timeout) { underlying.close(promise: nil) }
        defer { deadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(lines: inbound.splitUTF8Lines().makeAsyncIterator(), outbound: outbound)
            try await session.expect([220], stage: "greeting")
            var capabilities: [String]
            do {
                capabilities = try await session.command("EHLO \(clientName)", expect: [250], stage: "EHLO").lines
            } catch SMTPError.rejected {
                capabilities = try await session.command("HELO \(clientName)", expect: [250], stage: "HELO").lines
            }
            capabilities = capabilities.map { $0.uppercased() }
            if let username = settings.username, let password = settings.password {
                let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                try await session.command("AUTH PLAIN \(token)", expect: [235], stage: "AUTH")
            }
            let eightBit = capabilities.contains { $0.hasPrefix("8BITMIME") }
            try await session.command("MAIL FROM:<\(message.from)>" + (eightBit ? " BODY=8BITMIME" : ""), expect: [250],
                                      stage: "MAIL FROM")
            try await session.command("RCPT TO:<\(message.to)>", expect: [250, 251], stage: "RCPT TO")
            try await session.command("DATA", expect: [354], stage: "DATA")
            try await session.write(MailMessage.dotStuffed(message.rendered(eightBit: eightBit)) + ".\r\n")
            try await session.expect([250], stage: "end of data")
            // The message is accepted; a server that closes without answering QUIT changes nothing.
            _ = try? await session.command("QUIT", expect: [221], stage: "QUIT")
        }
    }
}

/// The reply-reading side of one conversation.
struct SMTPSession<Lines: AsyncIteratorProtocol> where Lines.Element == String {
    struct Reply { var code: Int; var lines: [String] }

    var lines: Lines
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    mutating func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// One reply, multi-line ones ("250-…" lines up to "250 …") included.
    mutating func reply() async throws -> Reply {
        var texts: [String] = []
        while true {
            guard let line = try await lines.next() else { throw SMTPError.connectionClosed }
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw SMTPError.malformedReply(String(line.prefix(200)))
            }
            texts.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return Reply(code: code, lines: texts) }
        }
    }

    @discardableResult
    mutating func expect(_ codes: Set<Int>, stage: String) async throws -> Reply {
        let answer = try await reply()
        guard codes.contains(answer.code) else {
            throw SMTPError.rejected(stage: stage, code: answer.code, text: String(answer.lines.joined(separator: " ").prefix(300)))
        }
        return answer
    }

    @discardableResult
    mutating func command(_ text: String, expect codes: Set<Int>, stage: String) async throws -> Reply {
        try await write(text + "\r\n")
        return try await expect(codes, stage: stage)
    }
}

enum SMTPError: Error, CustomStringConvertible {
    case connectionFailed(String)
    case connectionClosed
    case malformedReply(String)
    case rejected(stage: String, code: Int, text: String)
    case invalidAddress(String)

    /// A 5xx answer or a bad address will not succeed on retry; everything else may.
    var isPermanent: Bool {
        switch self {
        case .rejected(_, let code, _): code >= 500
        case .invalidAddress: true
        default: false
        }
    }

    var description: String {
        switch self {
        case .connectionFailed(let detail): "could not connect to the SMTP server (\(detail))"
        case .connectionClosed: "the SMTP server closed the connection or did not answer in time"
        case .malformedReply(let line): "the SMTP server answered something that is not SMTP: \(line)"
        case .rejected(let stage, let code, let text): "the SMTP server refused \(stage): \(code) \(text)"
        case .invalidAddress(let address): "not a plain e-mail address: \(address)"
        }
    }
}
