import FoundationEssentials

/// The open time of a ``BusinessCalendar`` as instants, generated in order from a starting
/// second: the engine behind ``BusinessCalendar/openIntervals(from:to:)``,
/// ``BusinessCalendar/businessDuration(from:to:pausedDuring:)`` and
/// ``BusinessCalendar/adding(_:to:pausedDuring:horizon:)``.
///
/// It works on spans of constant UTC offset. While the offset is `o`, the instant `t` shows wall
/// time `t + o`, so it is open exactly when `t + o` lies in the calendar's wall-clock open set —
/// the same test ``BusinessCalendar/isOpen(at:)`` makes. The wall-clock open set of one local
/// date is a few minute ranges (that date's own ranges, to 24:00 for overnight ones, plus the
/// morning tails of the previous date's overnight ranges; nothing on a holiday or in the tail of
/// a holiday's range). Shifting them by `-o` and clipping them to the span gives that span's
/// open instants, so one step costs a local date, not a minute. Around a change of offset this
/// is exact by construction: a range starting in a gap opens when the gap ends, a wall time
/// repeated in a fold is open (or closed) both times it occurs.
///
/// Pieces come out sorted and disjoint, but not necessarily maximal: a piece ending at midnight
/// or at a change of offset may be followed by one starting at the same instant.
struct OpenTimeCursor {
    private let zone: ZoneRules
    private let weekly: [Weekday: [ClockRange]]
    private let holidays: Set<LocalDate>
    /// The cursor produces nothing at or after this second.
    private let limit: Int64

    /// The current span of constant offset: `[spanStart, spanEnd)` at `offset`.
    private var spanEnd: Int64
    private var offset: Int
    /// Changes of offset fetched so far, at instants up to `fetchedThrough`.
    private var changes: [(at: Int64, before: Int, after: Int)]
    private var changeIndex = 0
    private var fetchedThrough: Int64
    private var chunk: Int64

    /// Local dates (days since the epoch) of the current span still to emit, and the minute
    /// ranges of `day` in wall time.
    private var day = 0
    private var lastDay = -1
    private var minutes: [(start: Int, end: Int)] = []
    private var minuteIndex = 0
    private var spanStart: Int64

    /// Open time from second `from` (inclusive) to `limit` (exclusive). `chunk` is how far ahead
    /// to look for changes of offset at first; it doubles as the cursor moves on.
    init(calendar: BusinessCalendar, from: Int64, limit: Int64, chunk: Int64 = 16 * CivilDays.secondsPerDay) {
        zone = calendar.zone
        weekly = calendar.weekly
        holidays = calendar.holidays
        self.limit = limit
        self.chunk = max(chunk, CivilDays.secondsPerDay)
        offset = calendar.zone.offset(atSecond: from)
        fetchedThrough = from
        changes = []
        spanStart = from
        spanEnd = from
        minutes.reserveCapacity(4)
        if from < limit { startSpan(at: from, offset: offset) }
    }

    /// The next piece of open time, `[lo, hi)` in seconds since the epoch, or `nil` at `limit`.
    mutating func next() -> (lo: Int64, hi: Int64)? {
        while true {
            while minuteIndex < minutes.count {
                let range = minutes[minuteIndex]
                minuteIndex += 1
                let base = Int64(day) * CivilDays.secondsPerDay - Int64(offset)
                let lo = max(base + Int64(range.start) * 60, spanStart)
                let hi = min(base + Int64(range.end) * 60, spanEnd)
                if lo < hi { return (lo, hi) }
            }
            if day < lastDay {
                day += 1
                loadDay(day)
                continue
            }
            guard spanEnd < limit else { return nil }
            if changeIndex < changes.count, changes[changeIndex].at == spanEnd {
                offset = changes[changeIndex].after
                changeIndex += 1
            }
            startSpan(at: spanEnd, offset: offset)
        }
    }

    /// Begins the span of constant `offset` that starts at second `start`.
    private mutating func startSpan(at start: Int64, offset: Int) {
        if changeIndex == changes.count, fetchedThrough <= start {
            let through = min(limit, start + chunk)
            changes = through > start ? zone.changes(after: start, through: through) : []
            changeIndex = 0
            fetchedThrough = through
            chunk = min(chunk * 2, 512 * CivilDays.secondsPerDay)
        }
        spanStart = start
        spanEnd = min(changeIndex < changes.count ? changes[changeIndex].at : fetchedThrough, limit)
        day = CivilDays.split(start + Int64(offset)).day
        lastDay = CivilDays.split(spanEnd - 1 + Int64(offset)).day
        loadDay(day)
    }

    /// Fills `minutes` with the wall-clock minute ranges open on local date `dayNumber`, sorted and
    /// merged, exactly as ``BusinessCalendar/isOpen(atLocal:)`` decides them.
    private mutating func loadDay(_ dayNumber: Int) {
        minutes.removeAll(keepingCapacity: true)
        minuteIndex = 0
        var tailsCount = true
        if !holidays.isEmpty {
            if holidays.contains(LocalDate(daysSinceEpoch: dayNumber)) { return }
            tailsCount = !holidays.contains(LocalDate(daysSinceEpoch: dayNumber - 1))
        }
        let weekday = Weekday(daysSinceEpoch: dayNumber)
        if let own = weekly[weekday] {
            for range in own { minutes.append((range.start, range.crossesMidnight ? 1440 : range.end)) }
        }
        if tailsCount, let before = weekly[weekday.previous] {
            for range in before where range.crossesMidnight { minutes.append((0, range.end)) }
        }
        guard minutes.count > 1 else { return }
        // Insertion sort (a day has a handful of ranges), then merge overlapping or touching ones.
        for i in 1..<minutes.count {
            let item = minutes[i]
            var j = i - 1
            while j >= 0, minutes[j].start > item.start {
                minutes[j + 1] = minutes[j]
                j -= 1
            }
            minutes[j + 1] = item
        }
        var kept = 0
        for i in 1..<minutes.count {
            if minutes[i].start <= minutes[kept].end {
                minutes[kept].end = max(minutes[kept].end, minutes[i].end)
            } else {
                kept += 1
                minutes[kept] = minutes[i]
            }
        }
        minutes.removeLast(minutes.count - kept - 1)
    }
}
