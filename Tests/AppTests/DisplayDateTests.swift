import Foundation
import Testing
@testable import App

@Suite("Dates as the council reads them")
struct DisplayDateTests {
    /// An instant written in Japan time.
    func jst(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text + "+09:00")!
    }

    @Test func japaneseDatesUseJapanTimeAndTheEraWhereTheCityWritesIt() {
        let day = jst("2026-11-22T17:05:00")
        #expect(DisplayDate.date(day, .ja) == "2026年11月22日")
        #expect(DisplayDate.date(day, .ja, era: true) == "令和8（2026）年11月22日")
        #expect(DisplayDate.dateTime(day, .ja) == "2026年11月22日 17:05")
        #expect(DisplayDate.date(day, .en) == "22 Nov 2026")
        // 00:30 in Tokyo is still the previous day in UTC: the Japanese day wins.
        let earlyMorning = ISO8601DateFormatter().date(from: "2026-11-22T15:30:00Z")!
        #expect(DisplayDate.dateTime(earlyMorning, .ja) == "2026年11月23日 0:30")
    }

    @Test func theEraChangesOnTheFirstOfMay2019AndItsFirstYearIsGannen() {
        #expect(DisplayDate.date(jst("2019-04-30T12:00:00"), .ja, era: true) == "平成31（2019）年4月30日")
        #expect(DisplayDate.date(jst("2019-05-01T00:00:00"), .ja, era: true) == "令和元（2019）年5月1日")
        #expect(DisplayDate.date(jst("1980-01-01T12:00:00"), .ja, era: true) == "1980年1月1日")
    }

    @Test func spansLeaveOutTheEndDateOnTheSameDay() {
        let start = jst("2026-12-03T13:30:00")
        #expect(DisplayDate.span(start, jst("2026-12-03T15:00:00"), .ja) == "2026年12月3日 13:30–15:00")
        #expect(DisplayDate.span(start, jst("2026-12-04T10:00:00"), .en) == "3 Dec 2026 13:30–4 Dec 2026 10:00")
        #expect(DisplayDate.span(start, nil, .ja, era: true) == "令和8（2026）年12月3日 13:30")
        #expect(DisplayDate.month(year: 2026, month: 11, .ja) == "令和8（2026）年11月")
        #expect(DisplayDate.month(year: 2026, month: 11, .en) == "November 2026")
    }
}
