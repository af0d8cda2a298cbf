import Foundation
@testable import App

/// A real SMTP server for one test: tests/smtp/smtp_sink.py, Python's aiosmtpd (installed with pip
/// when missing, as the browser journeys install selenium). It parses what it receives with Python's
/// own e-mail package, so a test sees the message as an independent mail reader does.
final class SMTPSink: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let input: Pipe
    private let directory: URL

    /// Installs aiosmtpd once per test process.
    private static let installed = Task<Void, any Error> {
        if try run(["python3", "-c", "import aiosmtpd"]) == 0 { return }
        guard try run(["python3", "-m", "pip", "install", "-q", "aiosmtpd"]) == 0,
              try run(["python3", "-c", "import aiosmtpd"]) == 0 else {
            throw TestDatabaseError(message: "aiosmtpd could not be installed with pip")
        }
    }

    private static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func start(_ options: [String] = []) async throws -> SMTPSink {
        try await installed.value
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.root + "tests/smtp/smtp_sink.py", directory.path] + options
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is the port it listens on.
        let handle = output.fileHandleForReading
        let line = await Task.detached { () -> String in
            var bytes: [UInt8] = []
            while let byte = try? handle.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
            return String(decoding: bytes, as: UTF8.self)
        }.value
        guard let port = Int(line) else {
            process.terminate()
            throw TestDatabaseError(message: "the SMTP sink did not start (said \(line.debugDescription))")
        }
        return SMTPSink(port: port, process: process, input: input, directory: directory)
    }

    private init(port: Int, process: Process, input: Pipe, directory: URL) {
        self.port = port
        self.process = process
        self.input = input
        self.directory = directory
    }

    /// The messages received so far, in order, waiting up to `seconds` for at least `count`.
    func messages(atLeast count: Int, within seconds: Double = 10) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
            if names.count >= count || Date() > deadline {
                return try names.sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }.map { name in
                    let data = try Data(contentsOf: directory.appendingPathComponent(name))
                    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Closing its standard input ends the server.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    func settings(username: String? = nil, password: String? = nil) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: port, from: "tsunagu@city.example.jp", username: username, password: password)
    }
}

extension String {
    /// Line ends as a mail reader may hand them back, made plain.
    var unixLines: String { replacingOccurrences(of: "\r\n", with: "\n") }
}
