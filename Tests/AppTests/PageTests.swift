import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("Pages")
struct PageTests {
    @Test func homeShowsMemberAndOpenNeedCountsFromTheDatabase() async throws {
        try await withTestApp { app in
            let (status, headers, html) = try await app.get("/")
            #expect(status == .ok)
            #expect(headers.contentType?.description.hasPrefix("text/html") == true)
            #expect(html.contains("<html lang=\"ja\">"))
            let document = try XHTML(html)
            #expect(document.text(of: "strong", class: "big-number").first == "131")

            // The kind table matches a hand count from the database.
            let financial = try await app.count("SELECT count(*)::int FROM members WHERE kind = 'financial'")
            #expect(html.contains("<a href=\"/members?kind=financial\">金融機関</a></th><td class=\"num\">\(financial)</td>"))

            // The ward × domain table: 麻生区's row and the grand total.
            let asao = try await app.rows("""
                SELECT d.code, count(n.id)::int AS open FROM domains d
                LEFT JOIN needs n ON n.domain = d.code AND n.ward_code = '14137' AND n.status = 'open'
                GROUP BY d.code, d.position ORDER BY d.position
                """).map { try $0.get("open", as: Int.self) }
            let row = try #require(document.rowCells(headedBy: "麻生区"))
            #expect(row == asao.map(String.init) + [String(asao.reduce(0, +))])
            let open = try await app.count("SELECT count(*)::int FROM needs WHERE status = 'open'")
            #expect(document.text(of: "strong", class: "big-number").last == String(open))
        }
    }

    @Test func memberListIsPaginatedAndFiltered() async throws {
        try await withTestApp { app in
            let (status, _, html) = try await app.get("/members")
            #expect(status == .ok)
            _ = try XHTML(html)
            #expect(html.contains("131 件 (1–50)"))
            #expect(html.contains("rel=\"next\" href=\"/members?page=2\""))
            let (_, _, page3) = try await app.get("/members?page=3")
            #expect(page3.contains("131 件 (101–131)"))
            #expect(!page3.contains("rel=\"next\""))
            let (_, _, filtered) = try await app.get(encoded("/members?kind=financial&ward=麻生区"))
            let count = try await app.count("""
                SELECT count(*)::int FROM members m WHERE kind = 'financial'
                AND (city_wide OR EXISTS (SELECT 1 FROM member_wards w WHERE w.member_id = m.id AND w.ward_code = '14137'))
                """)
            #expect(filtered.contains("\(count) 件"))
            #expect(filtered.contains("<option value=\"financial\" selected=\"selected\">"))
        }
    }

    @Test func needListAndDetailRender() async throws {
        try await withTestApp { app in
            let (status, _, html) = try await app.get(encoded("/needs?ward=高津区"))
            #expect(status == .ok)
            let document = try XHTML(html)
            let link = try #require(document.links.first { $0.hasPrefix("/needs/") })
            let (detailStatus, _, detail) = try await app.get(link)
            #expect(detailStatus == .ok)
            _ = try XHTML(detail)
            #expect(detail.contains("高津区"))
        }
    }

    @Test func aBadFilterOnAPageIsA400PageNamingIt() async throws {
        try await withTestApp(.reference) { app in
            let (status, _, html) = try await app.get("/members?kind=shop")
            #expect(status == .badRequest)
            #expect(html.contains("パラメータ「kind」"))
            #expect(html.contains("<html lang=\"ja\">"))
            let (missing, _, _) = try await app.get("/needs/\(UUID())")
            #expect(missing == .notFound)
        }
    }

    @Test func theLanguageSwitchRemembersEnglish() async throws {
        try await withTestApp(.reference) { app in
            var cookie = ""
            // Anonymous forms carry the double-submit CSRF token (Web/CSRF.swift).
            let csrf = String(repeating: "t", count: 43)
            try await app.testing().test(.POST, "/language", headers: ["Cookie": "tsunagu_csrf=\(csrf)"], beforeRequest: { request in
                try request.content.encode(["lang": "en", "back": "/members", "csrf_token": csrf], as: .urlEncodedForm)
            }, afterResponse: { response async in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/members")
                cookie = response.headers.first(name: .setCookie) ?? ""
            })
            #expect(cookie.contains("tsunagu_lang=en"))
            let (_, _, html) = try await app.get("/", headers: ["Cookie": "tsunagu_lang=en"])
            #expect(html.contains("<html lang=\"en\">"))
            #expect(html.contains("Open regional needs"))
            // Accept-Language is the first guess when no choice was made.
            let (_, _, guessed) = try await app.get("/", headers: ["Accept-Language": "en-GB,en;q=0.8"])
            #expect(guessed.contains("<html lang=\"en\">"))
            // Never an open redirect.
            try await app.testing().test(.POST, "/language", headers: ["Cookie": "tsunagu_csrf=\(csrf)"], beforeRequest: { request in
                try request.content.encode(["lang": "ja", "back": "//evil.example", "csrf_token": csrf], as: .urlEncodedForm)
            }, afterResponse: { response async in
                #expect(response.headers.first(name: .location) == "/")
            })
        }
    }

    @Test func pagesCarrySecurityHeaders() async throws {
        try await withTestApp(.reference) { app in
            let (_, headers, _) = try await app.get("/")
            #expect(headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(headers.first(name: "Referrer-Policy") != nil)
        }
    }
}

/// Pages are written as well-formed XHTML-compatible HTML (void elements self-closed), so a
/// strict XML parser checks that every element is closed and every attribute quoted.
struct XHTML {
    final class Collector: NSObject, XMLParserDelegate {
        var links: [String] = []
        var stack: [(name: String, attributes: [String: String], text: String)] = []
        var finished: [(name: String, attributes: [String: String], text: String)] = []
        var rows: [[String]] = []
        var currentRow: [String]? = nil

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == "a", let href = attributes["href"] { links.append(href) }
            if name == "tr" { currentRow = [] }
            stack.append((name, attributes, ""))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            for index in stack.indices { stack[index].text += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let element = stack.removeLast()
            let text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
            finished.append((element.name, element.attributes, text))
            if name == "th" || name == "td" { currentRow?.append(text) }
            if name == "tr", let row = currentRow { rows.append(row); currentRow = nil }
        }
    }

    let collector = Collector()

    init(_ html: String) throws {
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            throw XHTMLError(message: "not well-formed at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "?")")
        }
    }

    var links: [String] { collector.links }

    func text(of element: String, class className: String) -> [String] {
        collector.finished.filter { $0.name == element && $0.attributes["class"] == className }.map(\.text)
    }

    /// Problems with how field errors reach assistive technology: every field error must have an id
    /// that a control (or its fieldset) names in aria-describedby, and every aria-describedby must
    /// name an element on the page. Empty when all is well.
    func fieldErrorProblems() -> [String] {
        let ids = Set(collector.finished.compactMap { $0.attributes["id"] })
        let described = collector.finished.flatMap { ($0.attributes["aria-describedby"] ?? "").split(separator: " ").map(String.init) }
        var problems = described.filter { !ids.contains($0) }.map { "aria-describedby names a missing id \($0)" }
        for error in collector.finished where error.attributes["class"] == "field-error" {
            guard let id = error.attributes["id"] else { problems.append("field error without id: \(error.text)"); continue }
            if !described.contains(id) { problems.append("no control is described by \(id)") }
        }
        return problems
    }

    /// The data cells of the table row whose header cell reads `header`.
    func rowCells(headedBy header: String) -> [String]? {
        collector.rows.first { $0.first == header }.map { Array($0.dropFirst()) }
    }
}

struct XHTMLError: Error, CustomStringConvertible { var message: String; var description: String { message } }
