import FoundationEssentials

/// Business-time arithmetic: open intervals, business durations and deadlines.
///
/// Open time is exactly the set of instants at which ``isOpen(at:)`` is true, to the second:
/// an instant is inside one of ``openIntervals(from:to:)`` if and only if `isOpen(at:)` says so.
/// Everything is computed local date by local date from the weekly ranges (never minute by
/// minute), so the rules of ``BusinessCalendar`` carry over unchanged:
/// - Ranges are wall time. A range's start or end that falls in a gap (clocks going forward)
///   takes effect at the instant the gap ends; a wall time repeated in a fold (clocks going back)
///   is open both times it occurs if its range covers it, so an overnight `22:00-06:00` lasts
///   7 hours on the night clocks go forward and 9 on the night they go back, and `01:00-02:00` in
///   New York on 2026-11-01 is two hours of business time. Where a range starts inside a fold
///   (`02:30-05:00` in Paris on 2026-10-25) it opens at the first 02:30, closes at the change of
///   offset (wall time is back to 02:00, before the range) and opens again at the second 02:30.
/// - Holidays close their whole local date, including the morning tail of the evening before.
/// - `alwaysOpen` is open at every instant.
///
/// Instants are compared as ``isOpen(at:)`` does: a fraction of a second belongs to the whole
/// second it is in, and boundaries of open time are always whole seconds.
///
/// Example: a P2 incident with a 4-business-hour budget opened on Friday 2026-06-12 at 17:40 in
/// Paris, on a Monday–Friday 09:00–18:00 Europe/Paris calendar, gets 20 minutes on Friday, none
/// over the weekend and the remaining 3 h 40 min on Monday from 09:00: it is due Monday
/// 2026-06-15 at 12:40 Paris time.
///
/// ```swift
/// let due = calendar.adding(.seconds(4 * 3600), to: openedAt)  // Monday 12:40 Paris
/// calendar.businessDuration(from: openedAt, to: due!)  // 4 hours
/// ```
extension BusinessCalendar {
    /// The maximal intervals of open time that meet `[start, end)`, clipped to it, in order.
    ///
    /// Intervals are disjoint and never touch (open time running on across midnight, from one
    /// range into the next or across a change of UTC offset is one interval). Empty when
    /// `end <= start`; `[start, end)` itself for an `alwaysOpen` calendar.
    public func openIntervals(from start: Date, to end: Date) -> [Range<Date>] {
        guard start < end else { return [] }
        if alwaysOpen { return [start..<end] }
        let s = start.timeIntervalSince1970
        let e = end.timeIntervalSince1970
        var merged: [(lo: Double, hi: Double)] = []
        var cursor = OpenTimeCursor(
            calendar: self, from: CivilDays.epochSeconds(start), limit: CivilDays.epochSeconds(end) + 1)
        while let piece = cursor.next() {
            let lo = max(Double(piece.lo), s)
            let hi = min(Double(piece.hi), e)
            guard lo < hi else { continue }
            if let last = merged.last, last.hi >= lo {
                merged[merged.count - 1].hi = max(last.hi, hi)
            } else {
                merged.append((lo, hi))
            }
        }
        return merged.map { interval in
            let lower = interval.lo == s ? start : Date(timeIntervalSince1970: interval.lo)
            let upper = interval.hi == e ? end : Date(timeIntervalSince1970: interval.hi)
            return lower..<upper
        }
    }

    /// The open time in `[start, end)` that no pause covers: the business time an SLA clock
    /// counts between two instants.
    ///
    /// Pauses may overlap each other (time covered twice is taken off once) and may reach outside
    /// `[start, end)`; a pause that never ends can run to `Date.distantFuture`. Zero when
    /// `end <= start`.
    public func businessDuration(from start: Date, to end: Date, pausedDuring pauses: [Range<Date>] = []) -> Duration {
        guard start < end else { return .zero }
        let s = start.timeIntervalSince1970
        let e = end.timeIntervalSince1970
        var total = 0.0
        var stops = PauseCursor(pauses)
        if alwaysOpen {
            stops.forEachUnpaused(s, e) { lo, hi in total += hi - lo }
            return BusinessCalendar.duration(seconds: total)
        }
        var cursor = OpenTimeCursor(
            calendar: self, from: CivilDays.epochSeconds(start), limit: CivilDays.epochSeconds(end) + 1)
        while let piece = cursor.next() {
            let lo = max(Double(piece.lo), s)
            let hi = min(Double(piece.hi), e)
            guard lo < hi else { continue }
            stops.forEachUnpaused(lo, hi) { a, b in total += b - a }
        }
        return BusinessCalendar.duration(seconds: total)
    }

    /// The deadline `budget` of business time after `start`: the earliest instant `t >= start`
    /// with `businessDuration(from: start, to: t, pausedDuring: pauses) == budget`.
    ///
    /// - 4 hours from Friday 17:40 on a Monday–Friday 09:00–18:00 calendar is Monday 12:40.
    /// - A zero (or negative) budget gives `start` itself, open or not.
    /// - From a start in closed hours the clock starts at the next opening: 2 hours from Saturday
    ///   noon on a Monday–Friday 09:00–18:00 calendar is Monday 11:00.
    /// - A budget used up exactly at a closing time gives that closing time (9 hours from Monday
    ///   09:00 is Monday 18:00, not Tuesday 09:00).
    /// - Open time inside a pause does not count, so a pause during open hours pushes the deadline
    ///   back by exactly its open part, and one entirely in closed hours changes nothing.
    /// - `nil` when the budget is not spent by `start + horizon` (400 days unless given): a
    ///   calendar with no open hours, or a pause that runs to `Date.distantFuture`.
    ///
    /// The work is proportional to the local dates crossed (about 7 for a 5-business-day budget
    /// on a Monday–Friday calendar), not to minutes.
    public func adding(
        _ budget: Duration, to start: Date, pausedDuring pauses: [Range<Date>] = [],
        horizon: Duration = .seconds(400 * 86_400)
    ) -> Date? {
        var need = BusinessCalendar.seconds(budget)
        guard need > 0 else { return start }
        let s = start.timeIntervalSince1970
        // Kept within the range `isOpen(at:)` itself clamps instants to.
        let limit = min(s + max(BusinessCalendar.seconds(horizon), 0), 9.0e15)
        var stops = PauseCursor(pauses)
        var found: Double?
        // Spends `need` on the unpaused part of [lo, hi); true once it is all spent.
        func spend(_ lo: Double, _ hi: Double) -> Bool {
            stops.forEachUnpaused(lo, hi) { a, b in
                guard found == nil else { return }
                if b - a >= need { found = a + need } else { need -= b - a }
            }
            return found != nil
        }
        if alwaysOpen {
            _ = spend(s, limit)
        } else {
            guard weekly.values.contains(where: { !$0.isEmpty }) else { return nil }
            var cursor = OpenTimeCursor(
                calendar: self, from: CivilDays.epochSeconds(start), limit: Int64(limit.rounded(.up)),
                chunk: Int64(min(need, 1e9).rounded(.up)) * 3 + 8 * CivilDays.secondsPerDay)
            while let piece = cursor.next() {
                let lo = max(Double(piece.lo), s)
                let hi = min(Double(piece.hi), limit)
                guard lo < hi else { continue }
                // A pause covering everything from here to the horizon: nothing more can count.
                if stops.covers(lo, limit) { return nil }
                if spend(lo, hi) { break }
            }
        }
        return found.map { Date(timeIntervalSince1970: $0) }
    }

    /// Seconds of `duration` as a `Double` (exact for whole seconds).
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    /// `seconds` as a `Duration`, exact when it is a whole number.
    static func duration(seconds: Double) -> Duration {
        let whole = seconds.rounded(.down)
        guard whole != seconds else { return .seconds(Int64(whole)) }
        return .seconds(Int64(whole)) + .seconds(seconds - whole)
    }
}

/// Pauses as sorted, merged intervals of seconds since the epoch, walked forward alongside open
/// time (queries must come in increasing order).
struct PauseCursor {
    private var intervals: [(lo: Double, hi: Double)] = []
    private var index = 0

    init(_ pauses: [Range<Date>]) {
        guard !pauses.isEmpty else { return }
        let sorted = pauses.map { ($0.lowerBound.timeIntervalSince1970, $0.upperBound.timeIntervalSince1970) }
            .filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
        for (lo, hi) in sorted {
            if let last = intervals.last, lo <= last.hi {
                intervals[intervals.count - 1].hi = max(last.hi, hi)
            } else {
                intervals.append((lo, hi))
            }
        }
    }

    /// Calls `body` with each part of `[lo, hi)` no pause covers, in order.
    mutating func forEachUnpaused(_ lo: Double, _ hi: Double, _ body: (Double, Double) -> Void) {
        var from = lo
        while index < intervals.count, intervals[index].hi <= from { index += 1 }
        var i = index
        while i < intervals.count, intervals[i].lo < hi {
            if intervals[i].lo > from { body(from, intervals[i].lo) }
            from = max(from, intervals[i].hi)
            if from >= hi { return }
            i += 1
        }
        if from < hi { body(from, hi) }
    }

    /// Whether one pause covers all of `[lo, hi)`.
    mutating func covers(_ lo: Double, _ hi: Double) -> Bool {
        while index < intervals.count, intervals[index].hi <= lo { index += 1 }
        return index < intervals.count && intervals[index].lo <= lo && intervals[index].hi >= hi
    }
}
