import FoundationEssentials

/// A span of wall-clock time within a day, in minutes since local midnight: `09:00-18:00`.
///
/// When the end is before the start the range crosses midnight: `22:00-06:00` runs from 22:00 to
/// 24:00 and on from 00:00 to 06:00 the next morning. `00:00-24:00` is the whole day. An end of
/// `00:00` means midnight at the end of the day (`22:00-00:00` is `22:00-24:00`).
public struct ClockRange: Sendable, Hashable, CustomStringConvertible {
    /// Minutes since midnight at which the range starts, 0…1439.
    public let start: Int
    /// Minutes since midnight at which it ends (exclusive), 1…1440; below `start` when the range
    /// crosses midnight.
    public let end: Int

    /// `nil` unless `0 <= start < 1440`, `0 <= end <= 1440` and `start != end`.
    public init?(start: Int, end: Int) {
        guard (0..<1440).contains(start), (0...1440).contains(end), start != end else { return nil }
        self.start = start
        self.end = end == 0 ? 1440 : end
    }

    /// Reads `HH:MM-HH:MM` (hours may have one digit; `24:00` only as an end).
    public static func parse(_ text: String) throws(ZoneRulesError) -> ClockRange {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]) else {
            throw ZoneRulesError("time range '\(text)' must look like 09:00-18:00 (HH:MM-HH:MM)")
        }
        for (part, value) in [(parts[0], start), (parts[1], end)] where value < 0 {
            throw ZoneRulesError(
                "time range '\(text)': '\(part)' is not a time of day (00:00 … 23:59, or 24:00 as an end)")
        }
        guard start < 1440 else { throw ZoneRulesError("time range '\(text)': 24:00 may only end a range") }
        guard let range = ClockRange(start: start, end: end) else {
            throw ZoneRulesError("time range '\(text)' is empty (00:00-24:00 is the whole day)")
        }
        return range
    }

    /// Whether the range runs past midnight into the next day.
    public var crossesMidnight: Bool { end < start }

    /// Whether a minute of the day (0…1439) falls in the range, on either side of midnight.
    public func contains(minuteOfDay minute: Int) -> Bool {
        crossesMidnight ? minute >= start || minute < end : minute >= start && minute < end
    }

    /// `09:00-18:00`, `22:00-06:00`, `00:00-24:00`.
    public var description: String {
        "\(ClockRange.format(start))-\(ClockRange.format(end))"
    }

    /// `H:MM` or `HH:MM` as minutes; −1 for a well-formed but impossible time such as `25:00`;
    /// `nil` for anything else.
    private static func minutes(_ text: String) -> Int? {
        let b = Array(text.utf8)
        guard b.count == 4 || b.count == 5, b[b.count - 3] == UInt8(ascii: ":") else { return nil }
        var digits: [Int] = []
        for (i, c) in b.enumerated() where i != b.count - 3 {
            guard c >= 48, c <= 57 else { return nil }
            digits.append(Int(c - 48))
        }
        let hour = digits.dropLast(2).reduce(0) { $0 * 10 + $1 }
        let minute = digits[digits.count - 2] * 10 + digits[digits.count - 1]
        guard minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return -1 }
        return hour * 60 + minute
    }

    private static func format(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }
}
