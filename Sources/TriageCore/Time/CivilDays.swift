import FoundationEssentials

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01, with Howard Hinnant's
/// `days_from_civil` / `civil_from_days` integer algorithms (no Foundation `Calendar`).
enum CivilDays {
    static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 of `year-month-day`. Linear in `day`, so an out-of-range day
    /// (0, 32, …) lands on the neighbouring month.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The `(year, month, day)` of a day number.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    /// ISO weekday number of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    static func isoWeekday(_ days: Int) -> Int {
        ((days % 7 + 7) % 7 + 3) % 7 + 1
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Floor division of seconds into `(day, secondOfDay)` with `0 <= secondOfDay < 86_400`.
    static func split(_ seconds: Int64) -> (day: Int, secondOfDay: Int) {
        var day = seconds / secondsPerDay
        var rest = seconds % secondsPerDay
        if rest < 0 {
            rest += secondsPerDay
            day -= 1
        }
        return (Int(day), Int(rest))
    }

    /// Whole seconds since the epoch of `date`, rounded toward negative infinity.
    static func epochSeconds(_ date: Date) -> Int64 {
        let t = date.timeIntervalSince1970.rounded(.down)
        guard t.isFinite else { return t < 0 ? Int64.min / 2 : Int64.max / 2 }
        return Int64(max(min(t, 9.0e15), -9.0e15))
    }
}
