import Foundation
import Testing

@testable import TriageCore

struct LocalDateTests {
    @Test(arguments: [
        ("2026-12-25", Weekday.friday), ("1970-01-01", .thursday), ("2000-02-29", .tuesday), ("2024-02-29", .thursday),
        ("1969-12-31", .wednesday), ("2026-03-29", .sunday), ("2090-07-14", .friday), ("1600-01-01", .saturday),
    ])
    func parsesDatesAndTheirWeekdays(_ text: String, _ weekday: Weekday) throws {
        let date = try #require(LocalDate(parsing: text))
        #expect(date.description == text)
        #expect(date.weekday == weekday)
        #expect(LocalDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test(arguments: ["", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-12-25", "2026-1-05",
        "2026/12/25", "2026-12-25T00:00", "２０２６-12-25", "1900-02-29"])
    func rejectsMalformedDates(_ text: String) {
        #expect(LocalDate.parse(text) == nil)
        #expect(LocalDate(parsing: text) == nil)
    }

    @Test func fieldsCarryOverAndDatesCompare() throws {
        #expect(LocalDate(year: 2026, month: 2, day: 30).description == "2026-03-02")
        #expect(LocalDate(year: 2026, month: 13, day: 1).description == "2027-01-01")
        #expect(LocalDate(year: 2026, month: 0, day: 31).description == "2025-12-31")
        #expect(LocalDate(year: 2024, month: 3, day: 0).description == "2024-02-29")
        let christmas = try #require(LocalDate(parsing: "2026-12-25"))
        #expect(christmas.adding(days: 7).description == "2027-01-01")
        #expect(christmas.adding(days: -358).description == "2026-01-01")
        #expect(christmas < christmas.adding(days: 1))
        #expect(LocalDate(year: 2026, month: 1, day: 31) < LocalDate(year: 2026, month: 2, day: 1))
        #expect(Set([christmas, LocalDate(year: 2026, month: 12, day: 25)]).count == 1)
    }

    @Test func localDateTimes() {
        let a = LocalDateTime(year: 2026, month: 3, day: 29, hour: 2, minute: 30)
        #expect(a.description == "2026-03-29T02:30:00")
        #expect(a.weekday == .sunday)
        #expect(a.date.description == "2026-03-29")
        #expect(a.minuteOfDay == 150)
        #expect(a < LocalDateTime(year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 1))
        #expect(LocalDateTime(year: 2025, month: 12, day: 31, hour: 23) < a)
        #expect(LocalDateTime(LocalDate(year: 2026, month: 3, day: 29), hour: 2, minute: 30) == a)
    }

    @Test(arguments: [
        ("mon", Weekday.monday), ("Monday", .monday), ("MON", .monday), ("tue", .tuesday), ("Wednesday", .wednesday),
        ("thu", .thursday), ("FRIDAY", .friday), ("sat", .saturday), ("Sun", .sunday), ("sunday", .sunday),
    ])
    func parsesWeekdays(_ text: String, _ expected: Weekday) {
        #expect(Weekday(parsing: text) == expected)
        #expect(Weekday.parse(text) == expected)
    }

    @Test(arguments: ["", "mo", "mondays", "funday", "1", " mon", "lun"])
    func rejectsUnknownWeekdays(_ text: String) {
        #expect(Weekday(parsing: text) == nil)
    }

    @Test func weekdaysAreISONumberedAndWrap() {
        #expect(Weekday.allCases.map(\.rawValue) == [1, 2, 3, 4, 5, 6, 7])
        #expect(Weekday.sunday.next == .monday)
        #expect(Weekday.monday.previous == .sunday)
        #expect(Weekday.wednesday.next == .thursday)
        #expect(Weekday.wednesday.previous == .tuesday)
        #expect(Weekday.friday.abbreviation == "fri")
        #expect("\(Weekday.saturday)" == "saturday")
        #expect(Weekday.monday < .sunday)
    }
}
