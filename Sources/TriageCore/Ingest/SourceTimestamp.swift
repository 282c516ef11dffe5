import FoundationEssentials

/// Timestamps as webhook senders write them when they do not write RFC 3339.
///
/// ``RFC3339/parse(_:)`` stays strict; decoders whose senders are known to be lenient read through
/// this instead:
/// - RFC 3339 itself (`2022-08-08T08:14:25Z`);
/// - offsets without a colon, as Jira writes them (`2020-07-28T14:53:58.232+0000`);
/// - date and time without a zone, as ServiceNow writes them (`2016-12-14 02:46:44`), read as UTC;
/// - Unix epoch numbers (or numeric text): seconds below 10¹¹, milliseconds below 10¹⁴ (Opsgenie,
///   Jira `timestamp`), microseconds below 10¹⁷, nanoseconds above.
public enum SourceTimestamp {
    /// Parses any of the forms above; `nil` for anything else.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmedSpaces
        if let number = Double(trimmed) { return epoch(number) }
        if let date = RFC3339.parse(trimmed) { return date }
        var bytes = Array(trimmed.utf8)
        guard bytes.count >= 19 else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        }
        if index == bytes.count {
            bytes.append(UInt8(ascii: "Z"))
        } else if bytes.count - index == 5, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            bytes[(index + 1)...].allSatisfy({ (48...57).contains($0) })
        {
            bytes.insert(UInt8(ascii: ":"), at: index + 3)
        } else {
            return nil
        }
        return RFC3339.parse(String(decoding: bytes, as: UTF8.self))
    }

    /// A Unix epoch number in seconds, milliseconds, microseconds or nanoseconds, told apart by size.
    public static func epoch(_ number: Double) -> Date? {
        guard number.isFinite else { return nil }
        let magnitude = abs(number)
        let seconds: Double
        if magnitude < 1e11 {
            seconds = number
        } else if magnitude < 1e14 {
            seconds = number / 1e3
        } else if magnitude < 1e17 {
            seconds = number / 1e6
        } else {
            seconds = number / 1e9
        }
        return Date(timeIntervalSince1970: seconds)
    }
}

extension JSONCursor {
    /// A timestamp here in any form ``SourceTimestamp`` reads; `nil` when absent, null, empty or
    /// Go's zero time (`0001-01-01…`). Other text, booleans, objects and arrays are shape errors.
    public func optionalTimestamp() throws(PayloadError) -> Date? {
        switch value {
        case nil, .null?:
            return nil
        case .number(let number)?:
            guard let date = SourceTimestamp.epoch(number) else { throw error("expected a timestamp, found \(number)") }
            return date
        case .string?:
            guard let text = try optionalNonEmpty(), !text.hasPrefix("0001-") else { return nil }
            guard let date = SourceTimestamp.parse(text) else { throw error("expected a timestamp, found '\(text)'") }
            return date
        case let other?:
            throw error("expected a timestamp, found \(other.typeName)")
        }
    }
}
