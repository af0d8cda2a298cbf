import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("CSV exports")
struct ExportTests {
    /// Reads a CSV body with Python's csv module, as a spreadsheet user's tools would.
    func pythonRows(_ body: String) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID()).csv")
        try Data(body.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import csv, json, sys
            with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
                print(json.dumps(list(csv.reader(f))))
            """, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // Read before waiting: a full pipe would block Python forever.
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode([[String]].self, from: output)
    }

    @Test func membersExportOpensInExcelWithAJapaneseHeaderAndEveryMember() async throws {
        try await withTestApp { app in
            // A name that would run as a formula in a spreadsheet.
            try await app.database.client.query("""
                UPDATE members SET name_ja = '=HYPERLINK("http://evil.example")' WHERE id = \(DemoData.id("m131"))
                """)
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let (status, headers, body) = try await app.get("/staff/exports/members.csv", headers: staff)
            #expect(status == .ok)
            #expect(headers.first(name: .contentType) == "text/csv; charset=utf-8")
            #expect(body.hasPrefix("\u{FEFF}"), "UTF-8 with BOM so Excel reads Japanese")
            let rows = try pythonRows(body)
            #expect(rows.first == ["名称", "種別", "業種", "重点連携領域", "活動区域", "タグ", "受入余力", "参画日", "説明", "デモ"])
            #expect(rows.count == 132)
            #expect(rows.contains { $0[0] == "'=HYPERLINK(\"http://evil.example\")" })
            #expect(!rows.dropFirst().contains { ["=", "+", "-", "@"].contains($0[0].first.map(String.init) ?? "") })
            // English header for an English user.
            var english = staff
            english.add(name: "Accept-Language", value: "en")
            english.replaceOrAdd(name: "Cookie", value: (staff.first(name: "Cookie") ?? "") + "; tsunagu_lang=en")
            let (_, _, en) = try await app.get("/staff/exports/members.csv", headers: english)
            #expect(try pythonRows(en).first?.first == "Name")
        }
    }

    @Test func needsExportFollowsTheListFilters() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let (status, _, body) = try await app.get(encoded("/staff/exports/needs.csv?ward=麻生区&status=open"), headers: staff)
            #expect(status == .ok)
            let rows = try pythonRows(body)
            let expected = try await app.count("SELECT count(*)::int FROM needs WHERE ward_code = '14137' AND status = 'open'")
            #expect(rows.count == expected + 1)
            #expect(rows.dropFirst().allSatisfy { $0[1].hasPrefix("麻生区") && $0[5] == "受付中" })
        }
    }

    @Test func cellsThatLookLikeFormulasAreNeutralised() {
        #expect(CSVWriter.cell("=1+1") == "\"'=1+1\"")
        #expect(CSVWriter.cell("+81 44") == "\"'+81 44\"")
        #expect(CSVWriter.cell("-5") == "\"'-5\"")
        #expect(CSVWriter.cell("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(CSVWriter.cell("見守り \"安心\"") == "\"見守り \"\"安心\"\"\"")
    }
}
