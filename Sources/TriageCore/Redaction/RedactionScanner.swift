/// Finds the built-in rules' matches in UTF-8 text in one pass over its bytes.
///
/// Each scanner starts only where its data can: e-mail around `@`, cards, phones and IPv4 at the
/// start of a digit run (phones also at `+` and `(`), IBANs at two capitals and two digits,
/// IPv6 and URL passwords at `:`, `key=value` secrets at `=` and `:`, bearer tokens at a word
/// `bearer`. Every other byte costs one comparison chain. All built-ins are ASCII patterns, so
/// matches start and end on character boundaries.
struct RedactionScanner: Sendable {
    /// A match: bytes `start..<end`, found for `rule` (an index into the redactor's rules).
    struct Match: Sendable, Equatable {
        var start: Int
        var end: Int
        var rule: Int
    }

    // The index of the first rule of each built-in kind, or -1 when the kind is off.
    var email = -1, phone = -1, iban = -1, card = -1, ipv4 = -1, ipv6 = -1, secret = -1

    init(rules: [RedactionRule]) {
        for (index, rule) in rules.enumerated() {
            switch rule.kind {
            case .email: if email < 0 { email = index }
            case .phone: if phone < 0 { phone = index }
            case .iban: if iban < 0 { iban = index }
            case .card: if card < 0 { card = index }
            case .ipv4: if ipv4 < 0 { ipv4 = index }
            case .ipv6: if ipv6 < 0 { ipv6 = index }
            case .secret: if secret < 0 { secret = index }
            case .pattern: break
            }
        }
    }

    /// Whether any built-in is on.
    var isActive: Bool { max(email, phone, iban, card, ipv4, ipv6, secret) >= 0 }

    /// Every candidate match of the built-ins in `text` (overlaps are resolved by the caller).
    func scan(_ text: UnsafeBufferPointer<UInt8>, into matches: inout [Match]) {
        let count = text.count
        let numbers = card >= 0 || phone >= 0 || ipv4 >= 0
        var index = 0
        // IPv6 candidates already looked at (a token has several colons).
        var ipv6Until = 0
        while index < count {
            let byte = text[index]
            if byte.isASCIIDigit {
                if numbers, index == 0 || !text[index - 1].isASCIIAlnum {
                    numberAt(text, index, into: &matches)
                    // The rest of this digit run cannot start anything.
                    index += 1
                    while index < count, text[index].isASCIIDigit { index += 1 }
                    continue
                }
            } else if byte.isASCIILetter {
                if index == 0 || !text[index - 1].isASCIIAlnum {
                    if iban >= 0, byte.isASCIIUpper { ibanAt(text, index, into: &matches) }
                    if secret >= 0, byte | 0x20 == UInt8(ascii: "b") { bearerAt(text, index, into: &matches) }
                }
            } else {
                switch byte {
                case UInt8(ascii: "@"):
                    if email >= 0 { emailAt(text, index, into: &matches) }
                case UInt8(ascii: ":"):
                    if secret >= 0 {
                        userinfoAt(text, index, into: &matches)
                        keyValueAt(text, index, into: &matches)
                    }
                    if ipv6 >= 0, index >= ipv6Until { ipv6Until = ipv6At(text, index, into: &matches) }
                case UInt8(ascii: "="):
                    if secret >= 0 { keyValueAt(text, index, into: &matches) }
                case UInt8(ascii: "+"), UInt8(ascii: "("):
                    if phone >= 0 { phoneAtSign(text, index, into: &matches) }
                default:
                    break
                }
            }
            index += 1
        }
    }

    /// Cards, phones and IPv4 addresses starting at the digit run at `start`.
    func numberAt(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, into matches: inout [Match]) {
        let count = text.count
        // Cheap reject: prose numbers ("5 minutes", "95%") are short and not followed by a separator.
        var run = start
        while run < count, text[run].isASCIIDigit { run += 1 }
        let length = run - start
        if length < 13, run >= count || !Self.isNumberSeparator(text[run]) { return }
        if ipv4 >= 0, length <= 3, let end = ipv4End(text, start) { matches.append(Match(start: start, end: end, rule: ipv4)) }
        if card >= 0, let end = cardEnd(text, start) { matches.append(Match(start: start, end: end, rule: card)) }
        if phone >= 0, let end = phoneEnd(text, start) { matches.append(Match(start: start, end: end, rule: phone)) }
    }

    static func isNumberSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: ")")
    }

    /// Whether the `count` bytes at `index` are digits followed by a non-digit (or the end).
    static func digits(_ text: UnsafeBufferPointer<UInt8>, _ index: Int, exactly count: Int) -> Bool {
        guard index + count <= text.count else { return false }
        for offset in 0..<count where !text[index + offset].isASCIIDigit { return false }
        return index + count == text.count || !text[index + count].isASCIIDigit
    }

    /// Whether a match ending at `end` stands alone: not followed by a letter or digit, nor by
    /// `.`, `-` or `/` and a digit (a longer number).
    static func endsCleanly(_ text: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        guard end < text.count else { return true }
        let next = text[end]
        if next.isASCIIAlnum || next == UInt8(ascii: "_") { return false }
        if next == UInt8(ascii: ".") || next == UInt8(ascii: "-") || next == UInt8(ascii: "/") {
            return !(end + 1 < text.count && text[end + 1].isASCIIDigit)
        }
        return true
    }
}

extension UInt8 {
    @inline(__always) var isASCIIDigit: Bool { self &- 0x30 < 10 }
    @inline(__always) var isASCIIUpper: Bool { self &- 0x41 < 26 }
    @inline(__always) var isASCIILetter: Bool { (self | 0x20) &- 0x61 < 26 }
    @inline(__always) var isASCIIAlnum: Bool { isASCIIDigit || isASCIILetter }
    @inline(__always) var isASCIIHex: Bool { isASCIIDigit || (self | 0x20) &- 0x61 < 6 }
    @inline(__always) var asciiLowered: UInt8 { isASCIIUpper ? self | 0x20 : self }
}
