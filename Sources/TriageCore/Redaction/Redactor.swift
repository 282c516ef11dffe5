/// Applies redaction rules to text: finds every rule's matches, settles overlaps, and replaces
/// each match by its rule's mask or keyed hash. Reports which rules fired and how often, never
/// what they found.
///
/// ```swift
/// let redactor = Redactor(rules: RedactionRule.allBuiltIns(), keyedHash: { hmacHex(key, $0) })
/// let result = redactor.redact("mail jane@example.com, card 4111 1111 1111 1111")
/// // result.text == "mail j***@example.com, card ****1111"; result.fired == ["email": 1, "card": 1]
/// ```
///
/// Built-in rules are found by byte scanners (``RedactionRule`` lists what each accepts and
/// rejects); user rules by Swift `Regex`. Where matches overlap, the built-in order `secret`,
/// user rules, `email`, `iban`, `card`, `ipv6`, `ipv4`, `phone` decides, then the earlier and longer.
public struct Redactor: Sendable {
    /// Text after redaction.
    public struct Result: Sendable, Equatable {
        /// The text with every match replaced.
        public var text: String
        /// How many times each rule fired, by rule name.
        public var fired: [String: Int]
        /// A rule in mode `drop` fired: the field holding this text must be left out.
        public var dropped: Bool

        /// `name:count` per rule that fired, sorted by name (what a decision records).
        public var summary: [String] { fired.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" } }
    }

    /// The rules applied, in the order given.
    public let rules: [RedactionRule]
    let scanner: RedactionScanner
    let patterns: [(rule: Int, pattern: RedactionPattern)]
    let keyedHash: @Sendable ([UInt8]) -> String

    /// - Parameters:
    ///   - rules: What to find; the first rule of each built-in kind is used.
    ///   - keyedHash: A keyed hash of a value's bytes as hex (HMAC-SHA256 in the engine), for
    ///     mode `hash`; its first 12 hex digits are shown.
    public init(rules: [RedactionRule], keyedHash: @escaping @Sendable ([UInt8]) -> String) {
        self.rules = rules
        self.scanner = RedactionScanner(rules: rules)
        self.patterns = rules.enumerated().compactMap { index, rule in
            if case .pattern(let pattern) = rule.kind { return (index, pattern) }
            return nil
        }
        self.keyedHash = keyedHash
    }

    /// Redacts `text`.
    public func redact(_ text: String) -> Result {
        guard !text.isEmpty, !rules.isEmpty else { return Result(text: text, fired: [:], dropped: false) }
        var text = text
        var matches: [RedactionScanner.Match] = []
        if scanner.isActive {
            let scanner = self.scanner
            text.withUTF8 { scanner.scan($0, into: &matches) }
        }
        for (rule, pattern) in patterns {
            for match in text.matches(of: pattern.regex) where !match.range.isEmpty {
                let start = text.utf8.distance(from: text.startIndex, to: match.range.lowerBound)
                let end = start + text.utf8.distance(from: match.range.lowerBound, to: match.range.upperBound)
                matches.append(RedactionScanner.Match(start: start, end: end, rule: rule))
            }
        }
        guard !matches.isEmpty else { return Result(text: text, fired: [:], dropped: false) }
        let chosen = resolve(matches)
        var fired: [String: Int] = [:]
        var dropped = false
        var out: [UInt8] = []
        text.withUTF8 { bytes in
            out.reserveCapacity(bytes.count)
            var cursor = 0
            for match in chosen {
                let rule = rules[match.rule]
                fired[rule.name, default: 0] += 1
                if rule.mode == .drop { dropped = true }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<match.start]))
                let value = UnsafeBufferPointer(rebasing: bytes[match.start..<match.end])
                if rule.mode == .hash {
                    out.append(contentsOf: "hash:".utf8)
                    out.append(contentsOf: keyedHash(Self.normalised(value, rule.kind)).utf8.prefix(12))
                } else {
                    Self.mask(value, rule, into: &out)
                }
                cursor = match.end
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor...]))
        }
        return Result(text: String(decoding: out, as: UTF8.self), fired: fired, dropped: dropped)
    }

    /// The matches to replace, in text order: by rule precedence, then earlier, then longer,
    /// each kept when it overlaps none kept before it.
    func resolve(_ matches: [RedactionScanner.Match]) -> [RedactionScanner.Match] {
        let ordered = matches.sorted {
            let (left, right) = (rules[$0.rule].precedence, rules[$1.rule].precedence)
            if left != right { return left < right }
            if $0.start != $1.start { return $0.start < $1.start }
            return $0.end > $1.end
        }
        var kept: [RedactionScanner.Match] = []  // sorted by start, never overlapping
        for match in ordered {
            // First kept match starting at or after this one's start.
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if kept[middle].start < match.start { low = middle + 1 } else { high = middle }
            }
            if low < kept.count, kept[low].start < match.end { continue }
            if low > 0, kept[low - 1].end > match.start { continue }
            kept.insert(match, at: low)
        }
        return kept
    }

    /// What the keyed hash is computed over: the same value written differently hashes the same
    /// (e-mail and IPv6 in lower case, cards and phones as digits, IBANs without spaces).
    static func normalised(_ value: UnsafeBufferPointer<UInt8>, _ kind: RedactionRule.Kind) -> [UInt8] {
        switch kind {
        case .email, .ipv6: value.map(\.asciiLowered)
        case .card, .phone: value.filter(\.isASCIIDigit)
        case .iban: value.filter(\.isASCIIAlnum)
        case .ipv4, .secret, .pattern: Array(value)
        }
    }

    /// The mask of `value`: `j***@example.com`, `****1111`, `DE****3000`, `[ipv4]`, `***`, `[NAME]`.
    static func mask(_ value: UnsafeBufferPointer<UInt8>, _ rule: RedactionRule, into out: inout [UInt8]) {
        switch rule.kind {
        case .email:
            // The first character (one whole scalar), then the domain.
            let lead = value[0]
            let width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            out.append(contentsOf: UnsafeBufferPointer(rebasing: value[0..<min(width, value.count)]))
            out.append(contentsOf: "***".utf8)
            if let at = value.firstIndex(of: UInt8(ascii: "@")) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: value[at...]))
            }
        case .card, .phone, .iban:
            if case .iban = rule.kind { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[0..<2])) }
            out.append(contentsOf: "****".utf8)
            var tail: [UInt8] = []
            var index = value.count
            while index > 0, tail.count < 4 {
                index -= 1
                if value[index].isASCIIAlnum { tail.append(value[index]) }
            }
            out.append(contentsOf: tail.reversed())
        case .ipv4: out.append(contentsOf: "[ipv4]".utf8)
        case .ipv6: out.append(contentsOf: "[ipv6]".utf8)
        case .secret: out.append(contentsOf: "***".utf8)
        case .pattern:
            out.append(UInt8(ascii: "["))
            out.append(contentsOf: rule.name.utf8)
            out.append(UInt8(ascii: "]"))
        }
    }
}
