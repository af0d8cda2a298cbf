import Foundation
import Vapor
import VaporTesting
@testable import App

extension Application {
    /// Posts `data` to the import upload the way a browser's file form does (multipart/form-data).
    /// `csrfField` puts the token in the form instead of relying on the X-CSRF-Token header.
    func uploadCSV(_ data: Data, kind: String = "needs", filename: String = "needs.csv", headers: HTTPHeaders,
                   csrfField: String? = nil) async throws -> Answer {
        let boundary = "----tsunagu-test-\(UUID().uuidString)"
        var body = Data()
        func part(_ disposition: String, _ type: String?, _ content: Data) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; \(disposition)\r\n".utf8))
            if let type { body.append(Data("Content-Type: \(type)\r\n".utf8)) }
            body.append(Data("\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        if let csrfField { part("name=\"csrf_token\"", nil, Data(csrfField.utf8)) }
        part("name=\"kind\"", nil, Data(kind.utf8))
        part("name=\"file\"; filename=\"\(filename)\"", "text/csv", data)
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = headers
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        var answer: Answer?
        try await testing().test(.POST, "/staff/imports", headers: headers, body: ByteBuffer(data: body)) { response async in
            answer = Answer(status: response.status, headers: response.headers, body: response.body.string)
        }
        return answer!
    }

    /// Uploads and returns the new batch's id (from the redirect to its preview).
    func uploadBatch(_ text: String, kind: String = "needs", headers: HTTPHeaders) async throws -> UUID {
        let answer = try await uploadCSV(Data(text.utf8), kind: kind, headers: headers)
        guard answer.status == .seeOther, let location = answer.headers.first(name: .location),
              let id = UUID(uuidString: String(location.split(separator: "/").last ?? "")) else {
            throw Abort(.internalServerError, reason: "upload failed: \(answer.status) \(answer.body.prefix(500))")
        }
        return id
    }
}

/// Headers of `headers` with the English UI chosen.
func inEnglish(_ headers: HTTPHeaders) -> HTTPHeaders {
    var english = headers
    english.replaceOrAdd(name: "Cookie", value: (headers.first(name: "Cookie") ?? "") + "; tsunagu_lang=en")
    return english
}
