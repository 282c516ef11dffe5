import Foundation
import Testing

@testable import TriageCore

/// Offsets and wall times read from the system's zone files, checked against `zdump -v`.
@Suite(.enabled(
    if: ZoneFiles.available("Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney"),
    "needs Europe/Paris, America/New_York, Asia/Kolkata and Australia/Sydney in /usr/share/zoneinfo"))
struct ZoneRulesTests {
    /// (zone, instant, offset, wall time) around each change, from `zdump -v -c 2026,2027`.
    @Test(arguments: [
        ("Europe/Paris", "2026-03-29T00:59:59Z", 3600, "2026-03-29T01:59:59"),
        ("Europe/Paris", "2026-03-29T01:00:00Z", 7200, "2026-03-29T03:00:00"),
        ("Europe/Paris", "2026-10-25T00:59:59Z", 7200, "2026-10-25T02:59:59"),
        ("Europe/Paris", "2026-10-25T01:00:00Z", 3600, "2026-10-25T02:00:00"),
        ("Europe/Paris", "2026-01-15T12:00:00Z", 3600, "2026-01-15T13:00:00"),
        ("America/New_York", "2026-03-08T06:59:59Z", -18_000, "2026-03-08T01:59:59"),
        ("America/New_York", "2026-03-08T07:00:00Z", -14_400, "2026-03-08T03:00:00"),
        ("America/New_York", "2026-11-01T05:59:59Z", -14_400, "2026-11-01T01:59:59"),
        ("America/New_York", "2026-11-01T06:00:00Z", -18_000, "2026-11-01T01:00:00"),
        ("Asia/Kolkata", "2026-06-01T00:00:00Z", 19_800, "2026-06-01T05:30:00"),
        ("Asia/Kolkata", "2026-12-31T18:29:59Z", 19_800, "2026-12-31T23:59:59"),
        ("Asia/Kolkata", "1942-09-01T00:00:00Z", 23_400, "1942-09-01T06:30:00"),  // war time, +06:30
        ("Australia/Sydney", "2026-04-04T15:59:59Z", 39_600, "2026-04-05T02:59:59"),
        ("Australia/Sydney", "2026-04-04T16:00:00Z", 36_000, "2026-04-05T02:00:00"),
        ("Australia/Sydney", "2026-10-03T15:59:59Z", 36_000, "2026-10-04T01:59:59"),
        ("Australia/Sydney", "2026-10-03T16:00:00Z", 39_600, "2026-10-04T03:00:00"),
        ("Australia/Sydney", "2026-01-10T00:00:00Z", 39_600, "2026-01-10T11:00:00"),  // southern summer
        ("Australia/Sydney", "2026-07-10T00:00:00Z", 36_000, "2026-07-10T10:00:00"),
        // Far beyond the files' last transition (2037): the footer rule, from `zdump -c 2090,2091`.
        ("Europe/Paris", "2090-03-26T00:59:59Z", 3600, "2090-03-26T01:59:59"),
        ("Europe/Paris", "2090-03-26T01:00:00Z", 7200, "2090-03-26T03:00:00"),
        ("Europe/Paris", "2090-10-29T00:59:59Z", 7200, "2090-10-29T02:59:59"),
        ("Europe/Paris", "2090-10-29T01:00:00Z", 3600, "2090-10-29T02:00:00"),
        ("America/New_York", "2090-03-12T07:00:00Z", -14_400, "2090-03-12T03:00:00"),
        ("America/New_York", "2090-11-05T06:00:00Z", -18_000, "2090-11-05T01:00:00"),
        ("Australia/Sydney", "2090-04-01T16:00:00Z", 36_000, "2090-04-02T02:00:00"),
        ("Australia/Sydney", "2090-09-30T16:00:00Z", 39_600, "2090-10-01T03:00:00"),
        ("Asia/Kolkata", "2090-07-01T00:00:00Z", 19_800, "2090-07-01T05:30:00"),
    ])
    func offsetsAndWallTimes(_ zone: String, _ instant: String, _ offset: Int, _ wall: String) throws {
        let rules = try ZoneFiles.rules(zone)
        let date = ZoneFiles.at(instant)
        #expect(rules.offset(at: date) == offset)
        #expect(rules.local(date).description == wall)
    }

    @Test func beyondTheLastTransitionTheFooterDecides() throws {
        let paris = try ZoneFiles.rules("Europe/Paris")
        let last = try #require(paris.transitions.last)
        let footer = try PosixTZRule(parsing: "CET-1CEST,M3.5.0,M10.5.0/3")
        #expect(paris.footer == footer)
        #expect(ZoneFiles.at("2090-07-14T12:00:00Z").timeIntervalSince1970 > Double(last))
        #expect(paris.weekday(at: ZoneFiles.at("2090-07-14T12:00:00Z")) == .friday)
        #expect(paris.minuteOfDay(at: ZoneFiles.at("2090-07-14T12:00:00Z")) == 14 * 60)
    }

    @Test func wallTimesInAGapMoveForwardByTheGap() throws {
        let paris = try ZoneFiles.rules("Europe/Paris")
        let skipped = LocalDateTime(year: 2026, month: 3, day: 29, hour: 2, minute: 30)
        for preference in [ZoneRules.FoldPreference.earlier, .later] {
            let instant = paris.instant(of: skipped, preferring: preference)
            #expect(instant == ZoneFiles.at("2026-03-29T01:30:00Z"))
            #expect(paris.local(instant).description == "2026-03-29T03:30:00")
        }
        let newYork = try ZoneFiles.rules("America/New_York")
        #expect(newYork.instant(of: LocalDateTime(year: 2026, month: 3, day: 8, hour: 2)) == ZoneFiles.at("2026-03-08T07:00:00Z"))
        let sydney = try ZoneFiles.rules("Australia/Sydney")
        let sydneyGap = sydney.instant(of: LocalDateTime(year: 2026, month: 10, day: 4, hour: 2, minute: 59, second: 59))
        #expect(sydneyGap == ZoneFiles.at("2026-10-03T16:59:59Z"))
        #expect(sydney.local(sydneyGap).description == "2026-10-04T03:59:59")
    }

    @Test func wallTimesInAFoldAreTheEarlierInstantUnlessAskedForTheLater() throws {
        let paris = try ZoneFiles.rules("Europe/Paris")
        let twice = LocalDateTime(year: 2026, month: 10, day: 25, hour: 2, minute: 30)
        #expect(paris.instant(of: twice) == ZoneFiles.at("2026-10-25T00:30:00Z"))
        #expect(paris.instant(of: twice, preferring: .later) == ZoneFiles.at("2026-10-25T01:30:00Z"))
        let newYork = try ZoneFiles.rules("America/New_York")
        let nyTwice = LocalDateTime(year: 2026, month: 11, day: 1, hour: 1, minute: 30)
        #expect(newYork.instant(of: nyTwice) == ZoneFiles.at("2026-11-01T05:30:00Z"))
        #expect(newYork.instant(of: nyTwice, preferring: .later) == ZoneFiles.at("2026-11-01T06:30:00Z"))
        let sydney = try ZoneFiles.rules("Australia/Sydney")
        let sydneyTwice = LocalDateTime(year: 2026, month: 4, day: 5, hour: 2, minute: 15)
        #expect(sydney.instant(of: sydneyTwice) == ZoneFiles.at("2026-04-04T15:15:00Z"))
        #expect(sydney.instant(of: sydneyTwice, preferring: .later) == ZoneFiles.at("2026-04-04T16:15:00Z"))
        // The minute after the fold is unambiguous again.
        let after = LocalDateTime(year: 2026, month: 10, day: 25, hour: 3, minute: 0)
        #expect(paris.instant(of: after, preferring: .earlier) == paris.instant(of: after, preferring: .later))
    }

    @Test func midnightInParis() throws {
        let paris = try ZoneFiles.rules("Europe/Paris")
        let day = try #require(LocalDate(parsing: "2026-03-29"))
        #expect(paris.startOfDay(day) == ZoneFiles.at("2026-03-28T23:00:00Z"))
        #expect(paris.startOfDay(day.adding(days: 1)) == ZoneFiles.at("2026-03-29T22:00:00Z"))
        #expect(paris.instant(of: LocalDateTime(year: 2090, month: 7, day: 14, hour: 0)) == ZoneFiles.at("2090-07-13T22:00:00Z"))
        #expect(paris.instant(of: LocalDateTime(year: 2026, month: 7, day: 14, hour: 12)) == ZoneFiles.at("2026-07-14T10:00:00Z"))
    }

    @Test func fractionsOfASecondAreDroppedTowardThePast() throws {
        let paris = try ZoneFiles.rules("Europe/Paris")
        #expect(paris.local(Date(timeIntervalSince1970: 1_774_745_999.9)).description == "2026-03-29T01:59:59")
        #expect(ZoneRules.utc.local(Date(timeIntervalSince1970: -0.5)).description == "1969-12-31T23:59:59")
    }
}

/// Zones that need no zone files: UTC, fixed offsets, POSIX `TZ` strings.
struct FixedAndPosixZoneTests {
    @Test func utcAndFixedOffsets() {
        let date = ZoneFiles.at("2026-12-31T20:00:00Z")
        #expect(ZoneRules.utc.offset(at: date) == 0)
        #expect(ZoneRules.utc.identifier == "UTC")
        #expect(ZoneRules.utc == ZoneRules(fixedOffsetSeconds: 0, identifier: "UTC"))
        let india = ZoneRules(fixedOffsetSeconds: 19_800, identifier: "+05:30")
        #expect(india.offset(at: date) == 19_800)
        #expect(india.local(date).description == "2027-01-01T01:30:00")
        #expect(india.weekday(at: date) == .friday)
        #expect(india.instant(of: LocalDateTime(year: 2027, month: 1, day: 1, hour: 1, minute: 30)) == date)
        let west = ZoneRules(fixedOffsetSeconds: -9 * 3600 - 30 * 60, identifier: "-09:30")
        #expect(west.local(date).description == "2026-12-31T10:30:00")
        #expect(west.minuteOfDay(at: date) == 630)
    }

    @Test(arguments: [
        // Quoted names and minutes.
        ("<+0530>-5:30", "2026-03-29T01:00:00Z", 19_800),
        ("<+0545>-5:45", "2090-01-01T00:00:00Z", 20_700),
        // Negative transition time (America/Nuuk): starts 2026-03-28 at 23:00 local standard time.
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2026-03-29T00:59:59Z", -7200),
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2026-03-29T01:00:00Z", -3600),
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2026-10-25T01:00:00Z", -7200),
        // 24:00 transition times (America/Santiago), southern hemisphere.
        ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", "2026-04-05T02:59:59Z", -10_800),
        ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", "2026-04-05T03:00:00Z", -14_400),
        ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", "2026-09-06T04:00:00Z", -10_800),
        // Daylight saving all year: 0/0 to J365/25 (RFC 8536 §3.3.1).
        ("EST5EDT,0/0,J365/25", "2026-01-01T04:30:00Z", -14_400),
        ("EST5EDT,0/0,J365/25", "2028-12-31T12:00:00Z", -14_400),
        ("EST5EDT,0/0,J365/25", "2029-01-01T05:00:00Z", -14_400),
        // Jn never counts February 29; n does (2024 is a leap year).
        ("XXX3YYY,J60/2,J300/2", "2024-03-01T04:59:59Z", -10_800),
        ("XXX3YYY,J60/2,J300/2", "2024-03-01T05:00:00Z", -7200),
        ("XXX3YYY,59,300", "2024-02-29T05:00:00Z", -7200),
        ("XXX3YYY,59,300", "2025-03-01T04:59:59Z", -10_800),
        ("XXX3YYY,59,300", "2025-03-01T05:00:00Z", -7200),
        // Seconds in offsets and times.
        ("AAA-1:00:30BBB,M3.5.0/1:30:15,M10.5.0", "2026-03-29T00:29:44Z", 3630),
        ("AAA-1:00:30BBB,M3.5.0/1:30:15,M10.5.0", "2026-03-29T00:29:45Z", 7230),
        // Dublin's negative daylight saving: IST in summer is "standard".
        ("IST-1GMT0,M10.5.0,M3.5.0/1", "2026-07-01T00:00:00Z", 3600),
        ("IST-1GMT0,M10.5.0,M3.5.0/1", "2026-12-01T00:00:00Z", 0),
    ])
    func posixRules(_ tz: String, _ instant: String, _ offset: Int) throws {
        let rules = try ZoneRules(posixTZ: tz, identifier: tz)
        #expect(rules.offset(at: ZoneFiles.at(instant)) == offset)
    }

    @Test func midnightThatDoesNotExist() throws {
        // Santiago moves 00:00 to 01:00 on 2026-09-06: the day starts at 01:00.
        let santiago = try ZoneRules(posixTZ: "<-04>4<-03>,M9.1.6/24,M4.1.6/24", identifier: "America/Santiago")
        let day = try #require(LocalDate(parsing: "2026-09-06"))
        let start = santiago.startOfDay(day)
        #expect(start == ZoneFiles.at("2026-09-06T04:00:00Z"))
        #expect(santiago.local(start).description == "2026-09-06T01:00:00")
    }

    @Test(arguments: [
        ("", "expected a zone name of three or more letters at offset 0"),
        ("CET", "expected hours at offset 3"),
        ("CET-1CEST,M3.5.0", "expected ',' at offset 16"),
        ("CET-1CEST,M13.5.0,M10.5.0/3", "month 13 out of range 1…12 at offset 11"),
        ("CET-1CEST,M3.6.0,M10.5.0/3", "week 6 out of range 1…5 at offset 13"),
        ("CET-1CEST,M3.5.0/168,M10.5.0", "hours 168 out of range 0…167 at offset 17"),
        ("CET-25", "hours 25 out of range 0…24 at offset 4"),
        ("CET-1CEST,M3.5.0,M10.5.0/3x", "unexpected text at offset 26"),
    ])
    func rejectsMalformedPosixRules(_ tz: String, _ message: String) {
        #expect(throws: ZoneRulesError("invalid POSIX TZ string '\(tz)': \(message)")) {
            try ZoneRules(posixTZ: tz, identifier: "x")
        }
    }
}
