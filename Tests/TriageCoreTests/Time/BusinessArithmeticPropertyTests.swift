import Foundation
import PropertyBased
import Testing

@testable import TriageCore

/// The properties of business-time arithmetic against a brute-force reference that walks minute
/// by minute with `isOpen(at:)` (the tables are in BusinessArithmeticTests.swift).
extension BusinessArithmeticTests {

    /// Zones of the generated calendars; `ZoneFiles.rules` for all but UTC.
    static let zoneNames = ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]

    static func zones() throws -> [ZoneRules] {
        try zoneNames.map { $0 == "UTC" ? ZoneRules.utc : try ZoneFiles.rules($0) }
    }

    /// Instants near which scenarios start: the 2026 changes of Paris, New York and Sydney, the
    /// year end, an ordinary week.
    static let anchors = [
        "2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z",
        "2026-04-04T16:00:00Z", "2026-10-03T16:00:00Z", "2026-12-31T12:00:00Z", "2026-06-15T00:00:00Z",
    ].map(ZoneFiles.at)

    /// A random calendar, start, window, budget and pauses, all on minute boundaries.
    struct Scenario: Sendable, CustomStringConvertible {
        var zoneIndex: Int
        /// (weekday 1…7, start minute, length in minutes 1…1439): lengths past midnight make
        /// overnight ranges.
        var ranges: [(weekday: Int, start: Int, length: Int)]
        /// Holidays, in days from the anchor's local date.
        var holidayDays: [Int]
        var alwaysOpen: Bool
        var anchorIndex: Int
        /// Minutes from the anchor.
        var startMinute: Int
        /// Minutes in the window the reference walks (also the horizon given to `adding`).
        var windowMinutes: Int
        var budgetMinutes: Int
        /// Pauses, in minutes from the start: (offset, length, or `nil` for never ending).
        var pauses: [(offset: Int, length: Int?)]

        var description: String {
            "Scenario(zone: \(BusinessArithmeticTests.zoneNames[zoneIndex]), ranges: \(ranges), holidays: \(holidayDays), "
                + "alwaysOpen: \(alwaysOpen), start: \(start), window: \(windowMinutes) min, budget: \(budgetMinutes) min, "
                + "pauses: \(pauses))"
        }

        var start: Date {
            BusinessArithmeticTests.anchors[anchorIndex].addingTimeInterval(TimeInterval(startMinute * 60))
        }

        func minute(_ m: Int) -> Date { start.addingTimeInterval(TimeInterval(m * 60)) }

        var pauseRanges: [Range<Date>] {
            pauses.map { pause in
                let lower = minute(pause.offset)
                return lower..<(pause.length.map { minute(pause.offset + $0) } ?? .distantFuture)
            }
        }

        func calendar(_ zones: [ZoneRules]) -> BusinessCalendar {
            var weekly: [Weekday: [ClockRange]] = [:]
            for range in ranges {
                guard let weekday = Weekday(rawValue: range.weekday),
                    let clock = ClockRange(start: range.start, end: (range.start + range.length) % 1440)
                else { continue }
                weekly[weekday, default: []].append(clock)
            }
            let zone = zones[zoneIndex]
            let anchorDate = zone.date(at: BusinessArithmeticTests.anchors[anchorIndex])
            return BusinessCalendar(
                name: "generated", zone: zone, weekly: weekly,
                holidays: Set(holidayDays.map { anchorDate.adding(days: $0) }), alwaysOpen: alwaysOpen)
        }

        /// The reference: for each minute of the window, whether `isOpen(at:)` holds at its start
        /// (zone offsets are whole minutes, so it holds for the whole minute) and whether it
        /// counts, i.e. is open and in no pause.
        func walk(_ calendar: BusinessCalendar) -> (open: [Bool], counted: [Bool]) {
            let pauses = pauseRanges
            var open: [Bool] = []
            var counted: [Bool] = []
            open.reserveCapacity(windowMinutes)
            counted.reserveCapacity(windowMinutes)
            for m in 0..<windowMinutes {
                let t = minute(m)
                let isOpen = calendar.isOpen(at: t)
                open.append(isOpen)
                counted.append(isOpen && !pauses.contains { $0.contains(t) })
            }
            return (open, counted)
        }
    }

    static let scenarios = zip(
        Gen.int(in: 0...(zoneNames.count - 1)),
        zip(Gen.int(in: 1...7), Gen.int(in: 0...1439), Gen.int(in: 1...1439)).array(of: 0...6),
        Gen.int(in: -8...12).array(of: 0...3),
        Gen.bool(0.05),
        Gen.int(in: 0...(anchors.count - 1)),
        Gen.int(in: (-7 * 1440)...(3 * 1440)),
        Gen.int(in: 1...(10 * 1440)),
        // Budgets of up to three days, mostly under ten hours so that most fit the window.
        zip(Gen.bool(0.25), Gen.int(in: 0...(3 * 1440))),
        zip(Gen.int(in: -1440...(10 * 1440)), Gen.int(in: 0...(2 * 1440)).optional(valueRate: 0.9)).array(of: 0...3)
    ).map { value in
        Scenario(
            zoneIndex: value.0, ranges: value.1.map { (weekday: $0.0, start: $0.1, length: $0.2) }, holidayDays: value.2,
            alwaysOpen: value.3, anchorIndex: value.4, startMinute: value.5, windowMinutes: value.6,
            budgetMinutes: value.7.0 ? value.7.1 : value.7.1 % 600,
            pauses: value.8.map { (offset: $0.0, length: $0.1) })
    }

    /// (a) and (b): `adding` returns the end of the minute in which the walk has counted the
    /// budget (`nil` when the window ends first), and the business duration up to it is the budget.
    @Test func deadlinesMatchAMinuteByMinuteWalk() async throws {
        let zones = try Self.zones()
        await propertyCheck(count: 200, input: Self.scenarios) { scenario in
            let calendar = scenario.calendar(zones)
            let pauses = scenario.pauseRanges
            var expected: Date? = scenario.budgetMinutes == 0 ? scenario.start : nil
            if scenario.budgetMinutes > 0 {
                var spent = 0
                for (m, counts) in scenario.walk(calendar).counted.enumerated() where counts {
                    spent += 1
                    if spent == scenario.budgetMinutes {
                        expected = scenario.minute(m + 1)
                        break
                    }
                }
            }
            let budget = Duration.seconds(scenario.budgetMinutes * 60)
            let deadline = calendar.adding(
                budget, to: scenario.start, pausedDuring: pauses, horizon: .seconds(scenario.windowMinutes * 60))
            #expect(deadline == expected)
            if let deadline {
                #expect(calendar.businessDuration(from: scenario.start, to: deadline, pausedDuring: pauses) == budget)
            }
            // Any budget, reachable within the default horizon or not, round-trips.
            let seconds = Duration.seconds(scenario.budgetMinutes * 61 + 17)
            if let later = calendar.adding(seconds, to: scenario.start, pausedDuring: pauses) {
                #expect(calendar.businessDuration(from: scenario.start, to: later, pausedDuring: pauses) == seconds)
            }
        }
    }

    /// (c): `businessDuration` over sub-windows equals the number of counted minutes in them.
    @Test func durationsMatchAMinuteByMinuteCount() async throws {
        let zones = try Self.zones()
        await propertyCheck(count: 200, input: Self.scenarios) { scenario in
            let calendar = scenario.calendar(zones)
            let pauses = scenario.pauseRanges
            let counted = scenario.walk(calendar).counted
            let window = scenario.windowMinutes
            // The whole window, a tail, a head and a slice chosen by the budget (reversed when it
            // runs backwards, which is zero).
            let cut = scenario.budgetMinutes % (window + 1)
            for (from, to) in [(0, window), (cut, window), (0, cut), (cut, cut / 2), (cut / 2, cut)] {
                let expected = from < to ? counted[from..<to].count { $0 } : 0
                let actual = calendar.businessDuration(
                    from: scenario.minute(from), to: scenario.minute(to), pausedDuring: pauses)
                #expect(actual == .seconds(expected * 60), "minutes \(from)..<\(to)")
            }
        }
    }

    /// (d): open intervals are sorted, disjoint and never touch; every minute inside them is open
    /// and every minute outside closed; and each edge is exact to the second.
    @Test func openIntervalsAreExactlyTheOpenMinutes() async throws {
        let zones = try Self.zones()
        await propertyCheck(count: 200, input: Self.scenarios) { scenario in
            let calendar = scenario.calendar(zones)
            let start = scenario.start
            let end = scenario.minute(scenario.windowMinutes)
            let intervals = calendar.openIntervals(from: start, to: end)
            var inside = [Bool](repeating: false, count: scenario.windowMinutes)
            for (index, interval) in intervals.enumerated() {
                #expect(start <= interval.lowerBound && interval.lowerBound < interval.upperBound && interval.upperBound <= end)
                if index > 0 { #expect(intervals[index - 1].upperBound < interval.lowerBound, "sorted, apart") }
                let first = Int((interval.lowerBound.timeIntervalSince(start) / 60).rounded())
                let last = Int((interval.upperBound.timeIntervalSince(start) / 60).rounded())
                #expect(scenario.minute(first) == interval.lowerBound && scenario.minute(last) == interval.upperBound)
                for m in max(first, 0)..<min(max(last, first), inside.count) { inside[m] = true }
                #expect(calendar.isOpen(at: interval.lowerBound) && calendar.isOpen(at: interval.upperBound.addingTimeInterval(-1)))
                if interval.lowerBound > start { #expect(!calendar.isOpen(at: interval.lowerBound.addingTimeInterval(-1))) }
                if interval.upperBound < end { #expect(!calendar.isOpen(at: interval.upperBound)) }
            }
            let open = scenario.walk(calendar).open
            let wrong = open.indices.first { open[$0] != inside[$0] }
            #expect(wrong == nil, "minute \(wrong ?? -1): isOpen \(wrong.map { open[$0] } ?? false)")
        }
    }
}
