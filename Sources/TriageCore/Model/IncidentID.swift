import FoundationEssentials

/// A sortable incident identifier: 48 bits of milliseconds since 1970 then 80 random bits,
/// written as 26 Crockford base-32 characters (the ULID layout).
///
/// Identifiers made later sort after identifiers made earlier (to the millisecond), so the
/// primary key doubles as an arrival order. Pure: the caller passes `now` and the randomness.
public struct IncidentID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Makes a new identifier for the instant `now`.
    public init(now: Date, using generator: inout some RandomNumberGenerator) {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let high = UInt64.random(in: 0...UInt64(UInt16.max), using: &generator)
        let low = UInt64.random(in: 0...UInt64.max, using: &generator)
        var chars = [UInt8](repeating: 0, count: 26)
        // 10 characters of time (50 bits, top 2 always zero).
        var t = millis & 0xFFFF_FFFF_FFFF
        for i in stride(from: 9, through: 0, by: -1) {
            chars[i] = Self.alphabet[Int(t & 31)]
            t >>= 5
        }
        // 16 characters of randomness (80 bits): 12 from the low 60 bits of `low`,
        // then 4 from its last 4 bits joined with the 16 bits of `high`.
        var r = low
        for i in stride(from: 25, through: 14, by: -1) {
            chars[i] = Self.alphabet[Int(r & 31)]
            r >>= 5
        }
        var h = (high << 4) | r
        for i in stride(from: 13, through: 10, by: -1) {
            chars[i] = Self.alphabet[Int(h & 31)]
            h >>= 5
        }
        self.rawValue = String(decoding: chars, as: UTF8.self)
    }

    /// Wraps an identifier read back from storage or a URL; `nil` when it is not 26 base-32 characters.
    public init?(_ string: String) {
        let upper = string.uppercased()
        guard upper.utf8.count == 26, upper.utf8.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        self.rawValue = upper
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let id = IncidentID(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an incident id: \(string)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: IncidentID, rhs: IncidentID) -> Bool { lhs.rawValue < rhs.rawValue }
}
