import FoundationEssentials

/// Why zone data or a time text could not be read: a malformed TZif file or POSIX `TZ` string,
/// an unknown zone, a bad clock range such as `25:00-26:00`.
public struct ZoneRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
