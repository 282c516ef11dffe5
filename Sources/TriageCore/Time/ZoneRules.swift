import FoundationEssentials

/// The UTC offsets of one IANA time zone through time, read from TZif bytes (the system's
/// `/usr/share/zoneinfo` files), and exact conversions between instants and wall-clock times
/// there — without Foundation's `TimeZone` or `Calendar`, and without I/O.
///
/// Up to the zone's last listed transition the table decides; after it, the footer's POSIX `TZ`
/// rule (`CET-1CEST,M3.5.0,M10.5.0/3`) is evaluated for the year in question, so 2090 works.
/// Times are whole seconds: fractions of a second are dropped (toward the past).
public struct ZoneRules: Sendable, Equatable {
    /// The zone's name as given when it was made: `Europe/Paris`, `UTC`.
    public let identifier: String
    /// Transition instants (seconds since the epoch), ascending.
    let transitions: [Int64]
    /// The offset in force from each transition on.
    let offsetsAfter: [Int]
    /// The offset before the first transition (or always, with no transitions and no footer).
    let initialOffset: Int
    /// The rule after the last transition.
    let footer: PosixTZRule?

    /// How ``instant(of:preferring:)`` resolves a wall time that occurs twice (a fold, when
    /// clocks go back).
    public enum FoldPreference: Sendable, Equatable {
        /// The first occurrence (still in daylight time, the larger offset). The default.
        case earlier
        /// The second occurrence (already in standard time).
        case later
    }

    /// Coordinated Universal Time: offset zero, always.
    public static let utc = ZoneRules(fixedOffsetSeconds: 0, identifier: "UTC")

    /// A zone that is always `fixedOffsetSeconds` east of UTC (`19_800` for `+05:30`).
    public init(fixedOffsetSeconds: Int, identifier: String) {
        self.identifier = identifier
        transitions = []
        offsetsAfter = []
        initialOffset = fixedOffsetSeconds
        footer = nil
    }

    /// Reads a TZif file (versions 1 to 4), e.g. the bytes of `/usr/share/zoneinfo/Europe/Paris`.
    /// The 64-bit section and footer are used when present.
    public init(tzif bytes: [UInt8], identifier: String) throws(ZoneRulesError) {
        let contents: TZifReader.Contents
        do {
            contents = try TZifReader.read(bytes)
        } catch {
            throw ZoneRulesError("time zone '\(identifier)': \(error.message)")
        }
        self.identifier = identifier
        transitions = contents.transitions
        offsetsAfter = contents.offsetsAfter
        initialOffset = contents.initialOffset
        footer = contents.footer
    }

    /// A zone given by a POSIX `TZ` string alone, such as `EST5EDT,M3.2.0,M11.1.0` (POSIX signs:
    /// `EST5` is five hours *west* of UTC).
    public init(posixTZ: String, identifier: String) throws(ZoneRulesError) {
        let rule = try PosixTZRule(parsing: posixTZ)
        self.identifier = identifier
        transitions = []
        offsetsAfter = []
        initialOffset = rule.standardOffset
        footer = rule
    }

    // MARK: Instants to wall time

    /// Seconds east of UTC at `instant` (`3600` for Paris in winter, `-14_400` for New York in
    /// summer).
    public func offset(at instant: Date) -> Int {
        offset(atSecond: CivilDays.epochSeconds(instant))
    }

    /// The wall-clock time at `instant`.
    public func local(_ instant: Date) -> LocalDateTime {
        let t = CivilDays.epochSeconds(instant)
        return LocalDateTime(wallSeconds: t + Int64(offset(atSecond: t)))
    }

    /// The local calendar date at `instant`.
    public func date(at instant: Date) -> LocalDate { local(instant).date }

    /// The local day of the week at `instant`.
    public func weekday(at instant: Date) -> Weekday { local(instant).weekday }

    /// Minutes since local midnight at `instant`, 0…1439 (seconds dropped).
    public func minuteOfDay(at instant: Date) -> Int { local(instant).minuteOfDay }

    // MARK: Wall time to instants

    /// The instant at which clocks in this zone show `local`.
    ///
    /// - A wall time skipped when clocks go forward (a gap, such as 02:30 in Paris on
    ///   2026-03-29) is moved forward by the length of the gap: it is read with the offset in
    ///   force before the change, giving the instant clocks show 03:30.
    /// - A wall time that occurs twice when clocks go back (a fold, such as 02:30 in Paris on
    ///   2026-10-25) gives the earlier instant unless `preferring` is `.later`.
    public func instant(of local: LocalDateTime, preferring: FoldPreference = .earlier) -> Date {
        let wall = local.wallSeconds
        // Any solution t = wall - offset lies within a day and a bit of `wall`.
        let margin: Int64 = 2 * CivilDays.secondsPerDay
        let nearby = changes(after: wall - margin, through: wall + margin)
        var candidates = Set([offset(atSecond: wall - margin)])
        for change in nearby { candidates.insert(change.after) }
        let solutions = candidates.map { wall - Int64($0) }.filter { wall - $0 == Int64(offset(atSecond: $0)) }
            .sorted()
        if let t = preferring == .earlier ? solutions.first : solutions.last {
            return Date(timeIntervalSince1970: TimeInterval(t))
        }
        // A gap: read the wall time with the offset from before the change that skipped it.
        if let gap = nearby.first(where: { $0.before < $0.after && $0.at + Int64($0.before) <= wall
            && wall < $0.at + Int64($0.after) })
        {
            return Date(timeIntervalSince1970: TimeInterval(wall - Int64(gap.before)))
        }
        return Date(timeIntervalSince1970: TimeInterval(wall - Int64(offset(atSecond: wall))))
    }

    /// The instant local `date` begins (usually midnight; the first wall time after a gap at midnight).
    public func startOfDay(_ date: LocalDate) -> Date {
        instant(of: LocalDateTime(date))
    }

    // MARK: Internals

    /// Seconds east of UTC at `t` seconds since the epoch.
    func offset(atSecond t: Int64) -> Int {
        guard let firstTransition = transitions.first else { return footer?.offset(at: t) ?? initialOffset }
        guard t >= firstTransition else { return initialOffset }
        // The last transition at or before t.
        var low = 0
        var high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= t { low = mid + 1 } else { high = mid }
        }
        let index = low - 1
        if index == transitions.count - 1, let footer { return footer.offset(at: t) }
        return offsetsAfter[index]
    }

    /// The changes of offset at instants in `(after, through]`, in order, with the offsets either side.
    func changes(after lo: Int64, through hi: Int64) -> [(at: Int64, before: Int, after: Int)] {
        var instants: [Int64] = []
        var low = 0
        var high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= lo { low = mid + 1 } else { high = mid }
        }
        var index = low
        while index < transitions.count, transitions[index] <= hi {
            instants.append(transitions[index])
            index += 1
        }
        let ruleFrom = max(lo, transitions.last ?? Int64.min)
        if let footer, hi > ruleFrom {
            let firstYear = CivilDays.civil(CivilDays.split(ruleFrom).day).year - 1
            let lastYear = CivilDays.civil(CivilDays.split(hi).day).year + 1
            for change in footer.changes(from: firstYear, through: lastYear) where change.at > ruleFrom {
                if change.at <= hi { instants.append(change.at) }
            }
        }
        return instants.sorted().compactMap { at in
            let before = offset(atSecond: at - 1)
            let after = offset(atSecond: at)
            return before == after ? nil : (at, before, after)
        }
    }
}
