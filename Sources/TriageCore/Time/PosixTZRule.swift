import FoundationEssentials

/// A POSIX `TZ` string as found in a TZif footer: `CET-1CEST,M3.5.0,M10.5.0/3`,
/// `EST5EDT,M3.2.0,M11.1.0`, `<+0530>-5:30`, `AEST-10AEDT,M10.1.0,M4.1.0/3`.
///
/// POSIX offsets count hours *west* of Greenwich; they are stored here negated, as seconds east
/// of UTC. Transition times may be negative or beyond 24 hours (TZif v3: −167…167 hours).
struct PosixTZRule: Sendable, Equatable {
    /// When in the year a change happens, and at what local wall time (seconds after midnight).
    enum Day: Sendable, Equatable {
        /// `Jn`: day 1…365, February 29 never counted.
        case julianNoLeap(Int)
        /// `n`: day 0…365, February 29 counted.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1…5, 5 = last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    struct Change: Sendable, Equatable {
        var day: Day
        var time: Int
    }

    /// Daylight saving: its offset, its start (in standard wall time) and end (in daylight wall time).
    struct Daylight: Sendable, Equatable {
        var offset: Int
        var start: Change
        var end: Change
    }

    var standardOffset: Int
    var daylight: Daylight?

    init(standardOffset: Int) {
        self.standardOffset = standardOffset
        daylight = nil
    }

    /// Parses `text`; the error says what is wrong and where.
    init(parsing text: String) throws(ZoneRulesError) {
        var p = PosixTZScanner(text)
        try p.name()
        standardOffset = -(try p.offset())
        guard !p.atEnd else {
            daylight = nil
            return
        }
        try p.name()
        var dstOffset = standardOffset + 3600
        if !p.atEnd, p.peek != UInt8(ascii: ",") { dstOffset = -(try p.offset()) }
        let start: Change
        let end: Change
        if p.atEnd {
            // No rule: POSIX leaves it to the implementation; tzcode uses the US rules.
            start = Change(day: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200)
            end = Change(day: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200)
        } else {
            try p.expect(UInt8(ascii: ","))
            start = try p.change()
            try p.expect(UInt8(ascii: ","))
            end = try p.change()
        }
        guard p.atEnd else { throw p.failure("unexpected text") }
        daylight = Daylight(offset: dstOffset, start: start, end: end)
    }

    /// Seconds east of UTC at `t` (seconds since the epoch).
    func offset(at t: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let year = CivilDays.civil(CivilDays.split(t).day).year
        // The year before and after too: a change near New Year may fall on either side of it.
        // Ties keep year order, so `0/0,J365/25` (daylight all year) stays in daylight time.
        let list = changes(from: year - 1, through: year + 1)
        let order = list.indices.sorted { (list[$0].at, $0) < (list[$1].at, $1) }
        if let last = order.last(where: { list[$0].at <= t }) { return list[last].offset }
        // Not reached for real rules: before the earliest change, the other offset holds.
        return order.first.map { list[$0].offset } == daylight.offset ? standardOffset : daylight.offset
    }

    /// Every change in years `from…through`, in year order (start, end per year), with the
    /// instant it happens and the offset it changes to. A start may be followed by no end.
    func changes(from: Int, through: Int) -> [(at: Int64, offset: Int)] {
        guard let daylight, from <= through else { return [] }
        var result: [(at: Int64, offset: Int)] = []
        for year in from...through {
            let start = Int64(PosixTZRule.day(daylight.start.day, in: year)) * CivilDays.secondsPerDay
                + Int64(daylight.start.time) - Int64(standardOffset)
            let end = Int64(PosixTZRule.day(daylight.end.day, in: year)) * CivilDays.secondsPerDay
                + Int64(daylight.end.time) - Int64(daylight.offset)
            result.append((start, daylight.offset))
            // As in tzcode, daylight saving lasting a year or more (`0/0,J365/25`) never ends.
            let yearLength = Int64(CivilDays.isLeap(year) ? 366 : 365) * CivilDays.secondsPerDay
            if end - start < yearLength { result.append((end, standardOffset)) }
        }
        return result
    }

    /// Days since the epoch of `day` in `year`.
    static func day(_ day: Day, in year: Int) -> Int {
        let january1 = CivilDays.days(year: year, month: 1, day: 1)
        switch day {
        case .julianNoLeap(let n):
            return january1 + n - 1 + (CivilDays.isLeap(year) && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            return january1 + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDays.days(year: year, month: month, day: 1)
            let firstWeekday = CivilDays.isoWeekday(first) % 7  // 0 = Sunday
            var result = first + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            let length = CivilDays.daysInMonth(year: year, month: month)
            while result >= first + length { result -= 7 }
            return result
        }
    }
}
