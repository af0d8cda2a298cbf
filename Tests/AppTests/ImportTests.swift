import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// CSV imports by staff: upload → preview (nothing written) → confirm (everything, once).
@Suite("CSV imports")
struct ImportTests {
    /// The header our needs export writes in Japanese.
    static let japaneseHeader = "ニーズ,区,重点連携領域,重要度,求める協働先数,状況,把握の経路,タグ,説明"

    static let goodNeeds = """
        \(japaneseHeader)
        坂道で買い物に行けない,高津区 橘地区,III 日常の暮らしの支え,4,2,受付中,地域ケア会議,"買い物、移動",急な坂が多い地区
        男性の居場所が少ない,麻生区,参加と活躍によるつながり,3,1,,住民ワークショップ,居場所,
        認知症の早期相談,Kawasaki-ku,prevention,5,,matching,survey,,"相談先が分からない、という声
        が多い"
        """

    func needCount(_ app: Application, titles: [String]) async throws -> Int {
        try await app.count("SELECT count(*)::int FROM needs WHERE title = ANY(\(titles))")
    }

    @Test func aGoodFileIsWrittenOnlyWhenConfirmed() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let titles = ["坂道で買い物に行けない", "男性の居場所が少ない", "認知症の早期相談"]
            let id = try await app.uploadBatch(Self.goodNeeds, headers: staff)

            // Preview: every row shown, nothing written.
            let (status, _, page) = try await app.get("/staff/imports/\(id.uuidString.lowercased())", headers: staff)
            #expect(status == .ok)
            #expect(page.contains("UTF-8"))
            #expect(titles.allSatisfy(page.contains))
            #expect(page.contains("確定して取り込む"))
            #expect(try await needCount(app, titles: titles) == 0)

            let confirm = try await app.send(.POST, "/staff/imports/\(id.uuidString.lowercased())/confirm", headers: staff)
            #expect(confirm.status == .seeOther)
            #expect(try await needCount(app, titles: titles) == 3)
            let rows = try await app.rows("""
                SELECT n.title, n.ward_code, d.name_ja AS district, n.domain, n.severity::int AS severity, n.wanted::int AS wanted,
                       n.status, n.source, n.tags, n.description, n.created_by
                FROM needs n LEFT JOIN districts d ON d.id = n.district_id WHERE n.title = ANY(\(titles)) ORDER BY n.severity
                """)
            let staffID = try await app.userID(Demo.staff)
            #expect(try rows.map { try $0.get("ward_code", as: String.self) } == ["14137", "14134", "14131"])
            #expect(try rows[1].get("district", as: String?.self) == "橘地区")
            #expect(try rows.map { try $0.get("domain", as: String.self) } == ["participation", "daily_life", "prevention"])
            #expect(try rows.map { try $0.get("status", as: String.self) } == ["open", "open", "matching"])
            #expect(try rows.map { try $0.get("wanted", as: Int.self) } == [1, 2, 1])
            #expect(try rows[1].get("tags", as: [String].self) == ["買い物", "移動"])
            #expect(try rows[2].get("description", as: String.self) == "相談先が分からない、という声\nが多い")
            #expect(try rows.allSatisfy { try $0.get("created_by", as: UUID.self) == staffID })
            #expect(try await app.count("""
                SELECT count(*)::int FROM audit_records WHERE action = 'import.confirm' AND entity_id = \(id.uuidString.lowercased())
                  AND details->>'created' = '3'
                """) == 1)
            // The result page says what happened and offers no second confirm.
            let (_, _, done) = try await app.get("/staff/imports/\(id.uuidString.lowercased())", headers: staff)
            #expect(done.contains("取り込みました"))
            #expect(!done.contains("確定して取り込む"))
        }
    }

    @Test func aBadFileShowsEachProblemByRowAndColumnAndWritesNothing() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let before = try await app.count("SELECT count(*)::int FROM needs")
            let file = """
                \(Self.japaneseHeader)
                問題のない行,高津区,予防・自立支援,3,1,受付中,区役所,,
                重要度が大きすぎる,高津区,予防・自立支援,6,1,受付中,区役所,,
                ,横浜区,予防・自立支援,3,1,受付中,区役所,,
                領域が違う,幸区,スポーツ,3,1,受付中,区役所,,
                地区が違う,高津区 存在しない地区,予防・自立支援,3,1,受付中,区役所,,
                """
            let id = try await app.uploadBatch(file, headers: staff)
            let path = "/staff/imports/\(id.uuidString.lowercased())"
            let (status, _, page) = try await app.get(path, headers: staff)
            #expect(status == .ok)
            // Row numbers as a spreadsheet shows them (the header is row 1), each problem in its column.
            #expect(page.contains("<td class=\"num\">3</td><td>重要度</td><td>「重要度」は1〜5の整数で入力してください（「6」）。</td>"))
            #expect(page.contains("<td class=\"num\">4</td><td>ニーズ</td><td>「ニーズ」を入力してください。</td>"))
            #expect(page.contains("<td class=\"num\">4</td><td>区</td><td>区「横浜区」はありません。"))
            #expect(page.contains("<td class=\"num\">5</td><td>重点連携領域</td><td>「重点連携領域」の「スポーツ」はありません。"))
            #expect(page.contains("<td class=\"num\">6</td><td>区</td><td>地区「存在しない地区」は高津区に登録されていません"))
            #expect(!page.contains("確定して取り込む"))
            // In English for an English user.
            let (_, _, english) = try await app.get(path, headers: inEnglish(staff))
            #expect(english.contains("<td class=\"num\">3</td><td>Severity</td><td>&#39;Severity&#39; must be a whole number from 1 to 5 (got &#39;6&#39;).</td>"),
                    "\(english)")
            // Confirm is refused and nothing is written, not even the good row.
            let confirm = try await app.send(.POST, "\(path)/confirm", headers: staff)
            #expect(confirm.status == .unprocessableEntity)
            #expect(try await app.count("SELECT count(*)::int FROM needs") == before)
            #expect(try await app.count("SELECT count(*)::int FROM needs WHERE title = '問題のない行'") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'import.confirm'") == 0)
        }
    }

    @Test func aFileWithAMissingColumnOrAnUnknownOneSaysSoOnce() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let id = try await app.uploadBatch("ニーズ,区,色\nA,高津区,赤\nB,高津区,青\n", headers: staff)
            let (_, _, page) = try await app.get("/staff/imports/\(id.uuidString.lowercased())", headers: staff)
            #expect(page.contains("列「色」は使えません。"))
            #expect(page.contains("必須の列「重点連携領域」がありません。"))
            #expect(page.contains("必須の列「重要度」がありません。"))
            #expect(page.contains("必須の列「把握の経路」がありません。"))
        }
    }

    @Test func aUTF8FileWithABOMAndEnglishHeadersImports() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let text = "\u{FEFF}Need,Ward,Priority domain,Severity,Partners wanted,Status,Identified through,Tags,Description\r\n"
                + "Lonely evenings,Asao-ku,II Connection through participation and activity,2,1,Open,Elderly survey,evenings,\r\n"
            let id = try await app.uploadBatch(text, headers: staff)
            let (_, _, page) = try await app.get("/staff/imports/\(id.uuidString.lowercased())", headers: staff)
            #expect(page.contains("UTF-8（BOM付き）"))
            #expect(page.contains("Lonely evenings"))
            let confirm = try await app.send(.POST, "/staff/imports/\(id.uuidString.lowercased())/confirm", headers: staff)
            #expect(confirm.status == .seeOther)
            let row = try #require(try await app.rows("SELECT ward_code, domain, source FROM needs WHERE title = 'Lonely evenings'").first)
            #expect(try row.get("ward_code", as: String.self) == "14137")
            #expect(try row.get("domain", as: String.self) == "participation")
            #expect(try row.get("source", as: String.self) == "survey")
        }
    }

    @Test func aShiftJISFileFromExcelIsReadAndSaysSo() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            // CP932's circled numbers (①) are what Japanese Excel users type.
            let text = "\(Self.japaneseHeader)\r\n通院の付き添いが足りない,多摩区,日常の暮らしの支え,4,1,受付中,区役所,通院,①病院が遠い ②バスが少ない\r\n"
            let bytes = try #require(text.data(using: .shiftJIS))
            #expect(String(validating: bytes, as: UTF8.self) == nil, "the test file must not also be valid UTF-8")
            let answer = try await app.uploadCSV(bytes, filename: "ニーズ.csv", headers: staff)
            #expect(answer.status == .seeOther)
            let path = try #require(answer.headers.first(name: .location))
            let (_, _, page) = try await app.get(path, headers: staff)
            #expect(page.contains("Shift_JIS"))
            #expect(page.contains("通院の付き添いが足りない"))
            #expect(page.contains("ニーズ.csv"))
            _ = try await app.send(.POST, path + "/confirm", headers: staff)
            let description = try await app.rows("SELECT description FROM needs WHERE title = '通院の付き添いが足りない'")
            #expect(try description.map { try $0.get("description", as: String.self) } == ["①病院が遠い ②バスが少ない"])
        }
    }

    @Test func formulasAreStoredAsTextAndNeutralisedAgainOnExport() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let file = """
                \(Self.japaneseHeader)
                "=HYPERLINK(""http://evil.example"",""x"")",高津区,予防・自立支援,3,1,受付中,区役所,,@SUM(A1)
                '=1+1,高津区,予防・自立支援,3,1,受付中,区役所,'+81,'-5
                """
            let id = try await app.uploadBatch(file, headers: staff)
            let confirm = try await app.send(.POST, "/staff/imports/\(id.uuidString.lowercased())/confirm", headers: staff)
            #expect(confirm.status == .seeOther)
            // Our export's ' guard comes off on the way in: the original text is stored.
            let titles = ["=1+1", "=HYPERLINK(\"http://evil.example\",\"x\")"]
            let stored = try await app.rows("SELECT title, tags, description FROM needs WHERE title = ANY(\(titles)) ORDER BY title")
            #expect(try stored.map { try $0.get("title", as: String.self) } == ["=1+1", "=HYPERLINK(\"http://evil.example\",\"x\")"])
            #expect(try stored[0].get("tags", as: [String].self) == ["+81"])
            #expect(try stored[0].get("description", as: String.self) == "-5")
            #expect(try stored[1].get("description", as: String.self) == "@SUM(A1)")
            // Exported again, every one of them is neutralised.
            let (_, _, body) = try await app.get("/staff/exports/needs.csv", headers: staff)
            let rows = try ExportTests().pythonRows(body)
            #expect(rows.contains { $0[0] == "'=HYPERLINK(\"http://evil.example\",\"x\")" && $0[8] == "'@SUM(A1)" })
            #expect(rows.contains { $0[0] == "'=1+1" && $0[7] == "'+81" && $0[8] == "'-5" })
        }
    }

    @Test func theNeedsExportImportsBackUnchanged() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let (_, _, exported) = try await app.get(encoded("/staff/exports/needs.csv?ward=高津区"), headers: staff)
            let exportedRows = try ExportTests().pythonRows(exported).dropFirst()
            #expect(exportedRows.count > 0)
            let answer = try await app.uploadCSV(Data(exported.utf8), filename: "needs.csv", headers: staff)
            let path = try #require(answer.headers.first(name: .location))
            let (_, _, page) = try await app.get(path, headers: staff)
            #expect(page.contains("UTF-8（BOM付き）"))
            #expect(!page.contains("取り込めません"), "\(page)")
            _ = try await app.send(.POST, path + "/confirm", headers: staff)
            // Exported again, the Takatsu needs are each there twice, with the same cells.
            let (_, _, again) = try await app.get(encoded("/staff/exports/needs.csv?ward=高津区"), headers: staff)
            let againRows = try ExportTests().pythonRows(again).dropFirst()
            #expect(againRows.count == exportedRows.count * 2)
            #expect(Set(againRows) == Set(exportedRows))
        }
    }

    @Test func districtProfilesAddDistrictsAndReplaceFiguresOfTheSameYearAndSource() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let districtsBefore = try await app.count("SELECT count(*)::int FROM districts")
            let file = """
                区,地区,町名,年次,出典,人口,65歳以上人口,75歳以上人口,高齢化率（%）,いこいの家
                高津区,橘地区,,2024,テスト用出典,"1,000",300,120,30.5,1
                麻生区,テスト地区,片平,2024,テスト用出典,,,,,
                """
            let id = try await app.uploadBatch(file, kind: "district_profiles", headers: staff)
            let (_, _, page) = try await app.get("/staff/imports/\(id.uuidString.lowercased())", headers: staff)
            #expect(page.contains("テスト地区"))
            #expect(try await app.count("SELECT count(*)::int FROM district_profiles") == 0)
            _ = try await app.send(.POST, "/staff/imports/\(id.uuidString.lowercased())/confirm", headers: staff)
            #expect(try await app.count("SELECT count(*)::int FROM districts") == districtsBefore + 1)
            let rows = try await app.rows("""
                SELECT d.name_ja, d.towns, p.population, p.aged_65_plus, p.ageing_rate::text AS rate, p.ikoi_no_ie, p.salons
                FROM district_profiles p JOIN districts d ON d.id = p.district_id ORDER BY d.name_ja
                """)
            #expect(try rows.map { try $0.get("name_ja", as: String.self) } == ["テスト地区", "橘地区"])
            #expect(try rows[0].get("population", as: Int?.self) == nil, "a blank figure stays unknown")
            #expect(try rows[0].get("towns", as: String.self) == "片平")
            #expect(try rows[1].get("population", as: Int?.self) == 1000)
            #expect(try rows[1].get("rate", as: String?.self) == "30.50")
            #expect(try rows[1].get("salons", as: Int?.self) == nil)
            // The same district, year and source again: replaced, not added.
            let corrected = file.replacingOccurrences(of: "\"1,000\"", with: "1100")
            let second = try await app.uploadBatch(corrected, kind: "district_profiles", headers: staff)
            _ = try await app.send(.POST, "/staff/imports/\(second.uuidString.lowercased())/confirm", headers: staff)
            #expect(try await app.count("SELECT count(*)::int FROM district_profiles") == 2)
            #expect(try await app.count("SELECT population FROM district_profiles p JOIN districts d ON d.id = p.district_id WHERE d.name_ja = '橘地区'") == 1100)
            #expect(try await app.count("""
                SELECT count(*)::int FROM import_batches WHERE id = \(second) AND result->>'updated' = '2' AND result->>'created' = '0'
                """) == 1)
        }
    }

    @Test func districtFiguresThatContradictEachOtherAreProblems() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let file = """
                ward,district,as_of_year,source,population,aged_65_plus,aged_75_plus,ageing_rate
                14134,橘地区,2024,s,100,200,300,101
                14134,橘地区,1800,s,,,,
                14134,橘地区,2024,s,,,,
                """
            let id = try await app.uploadBatch(file, kind: "district_profiles", headers: inEnglish(staff))
            let (_, _, page) = try await app.get("/staff/imports/\(id.uuidString.lowercased())", headers: inEnglish(staff))
            #expect(page.contains("&#39;Aged 75+&#39; (300) is more than &#39;Aged 65+&#39; (200)."))
            #expect(page.contains("&#39;Aged 65+&#39; (200) is more than &#39;Population&#39; (100)."))
            #expect(page.contains("&#39;Ageing rate (%)&#39; must be a number from 0 to 100"))
            #expect(page.contains("&#39;As of (year)&#39; must be a whole number from 1990 to 2100"))
            #expect(page.contains("Row 4 has the same district, year and source as row 2.") == false,
                    "row 2 had problems, so it is not a duplicate to compare with")
            #expect(try await app.count("SELECT count(*)::int FROM district_profiles") == 0)
        }
    }

    @Test func onlyTheUploaderMayPreviewOrConfirm() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let admin = try await app.signedIn(as: Demo.admin)
            let id = try await app.uploadBatch(Self.goodNeeds, headers: staff)
            let path = "/staff/imports/\(id.uuidString.lowercased())"
            #expect(try await app.get(path, headers: admin).0 == .forbidden)
            let confirm = try await app.send(.POST, path + "/confirm", headers: admin)
            #expect(confirm.status == .forbidden)
            #expect(confirm.body.contains("別のユーザーがアップロードしたもの"))
            #expect(try await needCount(app, titles: ["坂道で買い物に行けない"]) == 0)
        }
    }

    @Test func confirmingTwiceImportsOnce() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let id = try await app.uploadBatch(Self.goodNeeds, headers: staff)
            let path = "/staff/imports/\(id.uuidString.lowercased())/confirm"
            // A double click: two requests at the same moment, then a third later.
            async let first = app.send(.POST, path, headers: staff)
            async let second = app.send(.POST, path, headers: staff)
            let statuses = try await [first.status, second.status]
            let third = try await app.send(.POST, path, headers: staff)
            #expect(statuses == [.seeOther, .seeOther])
            #expect(third.status == .seeOther)
            #expect(try await needCount(app, titles: ["坂道で買い物に行けない", "男性の居場所が少ない", "認知症の早期相談"]) == 3)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'import.confirm'") == 1)
        }
    }

    @Test func membersAndAnonymousVisitorsCannotImport() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            #expect(try await app.get("/staff/imports", headers: member).0 == .forbidden)
            #expect(try await app.get("/staff/imports").0 == .unauthorized)
            #expect(try await app.uploadCSV(Data(Self.goodNeeds.utf8), headers: member).status == .forbidden)
            let csrf = String(repeating: "m", count: 43)
            let anonymous: HTTPHeaders = ["Cookie": "\(CSRFMiddleware.cookieName)=\(csrf)", "X-CSRF-Token": csrf]
            #expect(try await app.uploadCSV(Data(Self.goodNeeds.utf8), headers: anonymous).status == .unauthorized)
            #expect(try await app.count("SELECT count(*)::int FROM import_batches") == 0)
        }
    }

    @Test func theUploadFormCarriesItsCSRFTokenInTheMultipartBody() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let token = try #require(staff.first(name: "X-CSRF-Token"))
            var cookieOnly = staff
            cookieOnly.remove(name: "X-CSRF-Token")
            let data = Data(Self.goodNeeds.utf8)
            #expect(try await app.uploadCSV(data, headers: cookieOnly).status == .forbidden)
            #expect(try await app.uploadCSV(data, headers: cookieOnly, csrfField: "wrong").status == .forbidden)
            #expect(try await app.uploadCSV(data, headers: cookieOnly, csrfField: token).status == .seeOther)
        }
    }

    @Test func fileProblemsAreShownOnTheUploadFormAndKeepNothing() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            // Just over the limit.
            var big = Data(Self.japaneseHeader.utf8)
            big.append(Data(repeating: UInt8(ascii: "a"), count: ImportBatches.maxBytes + 1 - big.count))
            let tooBig = try await app.uploadCSV(big, headers: staff)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.body.contains("1回に2 MBまでです"))
            // Excel's "Unicode text" is UTF-16.
            let utf16 = try #require(Self.japaneseHeader.data(using: .utf16))
            let unicode = try await app.uploadCSV(utf16, headers: inEnglish(staff))
            #expect(unicode.status == .unprocessableEntity)
            #expect(unicode.body.contains("UTF-16"))
            let empty = try await app.uploadCSV(Data(), headers: staff)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.contains("CSVファイルを選んでください"))
            #expect(try await app.count("SELECT count(*)::int FROM import_batches") == 0)
        }
    }

    @Test func theTemplatesHaveTheHeaderAndImportBack() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let (status, _, body) = try await app.get("/staff/imports/templates/needs.csv", headers: staff)
            #expect(status == .ok)
            let header: [String] = ["ニーズ", "区", "地区", "重点連携領域", "重要度", "求める協働先数", "状況", "把握の経路", "タグ", "説明"]
            #expect(try ExportTests().pythonRows(body).first == header)
            let id = try await app.uploadBatch(body, headers: staff)
            let (_, _, page) = try await app.get("/staff/imports/\(id.uuidString.lowercased())", headers: staff)
            #expect(page.contains("確定して取り込む"), "the example row is valid")
            // The district template lists the districts we know and leaves every figure blank.
            let (_, _, districts) = try await app.get("/staff/imports/templates/district-profiles.csv", headers: staff)
            let rows = try ExportTests().pythonRows(districts)
            #expect(rows.count == 5)
            #expect(rows.dropFirst().allSatisfy { $0[0] == "高津区" && $0[4...].allSatisfy(\.isEmpty) })
        }
    }

    // MARK: the pieces

    @Test func csvRecordsFollowRFC4180() throws {
        #expect(try CSVReader.records("a,b\r\n\"c,1\",\"d \"\"e\"\"\"\n\"f\ng\",\n") == [["a", "b"], ["c,1", "d \"e\""], ["f\ng", ""]])
        #expect(try CSVReader.records("a\rb") == [["a"], ["b"]])
        #expect(try CSVReader.records("a,\"\"\n") == [["a", ""]])
        #expect(throws: CSVReader.UnclosedQuote(row: 2)) { try CSVReader.records("a\n\"b,c\n") }
    }

    @Test func ourFormulaGuardComesOffOnTheWayIn() {
        #expect(CSVReader.unneutralised("'=1+1") == "=1+1")
        #expect(CSVReader.unneutralised("'-5") == "-5")
        #expect(CSVReader.unneutralised("'@x") == "@x")
        #expect(CSVReader.unneutralised("'quoted'") == "'quoted'")
        #expect(CSVReader.unneutralised("=1+1") == "=1+1")
        for cell in ["=A1", "+81", "-1", "@SUM(A1)", "\tx"] {
            let exported = CSVWriter.cell(cell).dropFirst().dropLast()
            #expect(CSVReader.unneutralised(String(exported)) == cell)
        }
    }

    @Test func encodingsAreDetectedUTF8First() throws {
        #expect(try ImportEncoding.decode(Data("区".utf8)).encoding == .utf8)
        #expect(try ImportEncoding.decode(Data("\u{FEFF}区".utf8)) == ("区", .utf8BOM))
        let sjis = try #require("高津区①".data(using: .shiftJIS))
        #expect(try ImportEncoding.decode(sjis) == ("高津区①", .shiftJIS))
        #expect(throws: ImportEncoding.Failure.utf16) { try ImportEncoding.decode(try #require("区".data(using: .utf16))) }
    }
}
