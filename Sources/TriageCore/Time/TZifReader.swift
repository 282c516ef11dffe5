import FoundationEssentials

/// Parses TZif (RFC 8536 / 9636) bytes, versions 1 to 4: the 64-bit section and the footer when
/// present, else the 32-bit section. Leap-second (`right/`) files are refused.
struct TZifReader {
    struct Contents {
        /// Transition instants (seconds since the epoch), ascending.
        var transitions: [Int64]
        /// The offset (seconds east of UTC) in force from each transition on.
        var offsetsAfter: [Int]
        /// The offset before the first transition: the first non-DST type, else type 0.
        var initialOffset: Int
        /// The footer rule for instants after the last transition, if any.
        var footer: PosixTZRule?
    }

    private let bytes: [UInt8]
    private var i = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func read(_ bytes: [UInt8]) throws(ZoneRulesError) -> Contents {
        var reader = TZifReader(bytes)
        let first = try reader.header()
        guard first.version != 0 else { return try reader.block(first, timeSize: 4) }
        try reader.skip(first.v1BlockSize)
        let second = try reader.header()
        var contents = try reader.block(second, timeSize: 8)
        contents.footer = try reader.footer()
        return contents
    }

    private struct Header {
        var version: UInt8
        var isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int

        var v1BlockSize: Int { timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt }
    }

    private func failure(_ what: String) -> ZoneRulesError {
        ZoneRulesError("invalid TZif data: \(what)")
    }

    private mutating func skip(_ count: Int) throws(ZoneRulesError) {
        guard count >= 0, bytes.count - i >= count else { throw failure("truncated at byte \(bytes.count)") }
        i += count
    }

    /// A big-endian integer of `size` bytes, two's complement when `signed`.
    private mutating func integer(_ size: Int, signed: Bool = true) throws(ZoneRulesError) -> Int64 {
        let start = i
        try skip(size)
        var value: UInt64 = 0
        for b in bytes[start..<i] { value = value << 8 | UInt64(b) }
        let shift = UInt64(64 - size * 8)
        return signed ? Int64(bitPattern: value << shift) >> shift : Int64(value)
    }

    private mutating func header() throws(ZoneRulesError) -> Header {
        guard bytes.count - i >= 44, bytes[i..<(i + 4)].elementsEqual("TZif".utf8) else {
            throw failure(i == 0 ? "not a TZif file (no 'TZif' magic)" : "missing second header")
        }
        let version = bytes[i + 4]
        guard version == 0 || version >= UInt8(ascii: "2") else { throw failure("unknown version byte \(version)") }
        i += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let n = try integer(4, signed: false)
            guard n >= 0, n < 1 << 20 else { throw failure("implausible count \(n)") }
            counts.append(Int(n))
        }
        let header = Header(version: version, isutcnt: counts[0], isstdcnt: counts[1], leapcnt: counts[2],
            timecnt: counts[3], typecnt: counts[4], charcnt: counts[5])
        guard header.typecnt >= 1 else { throw failure("no local time types") }
        guard header.leapcnt == 0 else {
            throw failure("leap-second tables (the 'right/' zones) are not supported")
        }
        return header
    }

    private mutating func block(_ h: Header, timeSize: Int) throws(ZoneRulesError) -> Contents {
        var transitions: [Int64] = []
        transitions.reserveCapacity(h.timecnt)
        for _ in 0..<h.timecnt {
            let t = try integer(timeSize)
            if let last = transitions.last, t <= last { throw failure("transition times not ascending") }
            transitions.append(t)
        }
        var indices: [Int] = []
        for _ in 0..<h.timecnt {
            let index = Int(try integer(1, signed: false))
            guard index < h.typecnt else { throw failure("type index \(index) out of range") }
            indices.append(index)
        }
        var types: [(offset: Int, isDST: Bool)] = []
        for _ in 0..<h.typecnt {
            let offset = try integer(4)
            let isDST = try integer(1, signed: false)
            let abbreviationIndex = try integer(1, signed: false)
            guard offset > -90_000, offset < 93_600 else { throw failure("UT offset \(offset) out of range") }
            guard isDST == 0 || isDST == 1 else { throw failure("isdst \(isDST) is not 0 or 1") }
            guard abbreviationIndex < max(h.charcnt, 1) else { throw failure("abbreviation index out of range") }
            types.append((Int(offset), isDST == 1))
        }
        try skip(h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt)
        let initial = types.first(where: { !$0.isDST }) ?? types[0]
        return Contents(transitions: transitions, offsetsAfter: indices.map { types[$0].offset },
            initialOffset: initial.offset, footer: nil)
    }

    /// `\n<TZ string>\n`; an empty string means no rule.
    private mutating func footer() throws(ZoneRulesError) -> PosixTZRule? {
        guard i < bytes.count else { return nil }  // Tolerate a writer that left the footer out.
        guard bytes[i] == UInt8(ascii: "\n"), let end = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw failure("malformed footer")
        }
        let text = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
        i = end + 1
        return text.isEmpty ? nil : try PosixTZRule(parsing: text)
    }
}
