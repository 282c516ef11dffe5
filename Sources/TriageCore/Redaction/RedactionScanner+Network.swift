/// IPv4 and IPv6 addresses, and what looks like them but is not (versions, OIDs, times, MACs).
extension RedactionScanner {
    /// Words after which a dotted quad is a version, not an address (`version 10.0.0.1`).
    static let versionWords: [[UInt8]] = [
        "v", "ver", "version", "release", "rel", "build", "firmware", "fw", "kernel", "rev", "revision",
    ].map { Array($0.utf8) }

    /// The end of an IPv4 address starting at the digit at `start`, or `nil` for versions and
    /// longer dotted numbers.
    func ipv4End(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        let count = text.count
        if start > 0 {
            let before = text[start - 1]
            // Part of a longer dotted number (an OID, `1.2.3.4.5`) or `product/1.2.3.4`.
            if before == UInt8(ascii: ".") { return nil }
            if before == UInt8(ascii: "/"), start >= 2, text[start - 2].isASCIILetter { return nil }
            if Self.followsVersionWord(text, start) { return nil }
        }
        var index = start
        for octet in 0..<4 {
            var value = 0
            var length = 0
            while index < count, text[index].isASCIIDigit, length < 4 {
                value = value * 10 + Int(text[index] &- 0x30)
                length += 1
                index += 1
            }
            guard (1...3).contains(length), value <= 255 else { return nil }
            if length > 1, text[index - length] == UInt8(ascii: "0") { return nil }
            if octet < 3 {
                guard index < count, text[index] == UInt8(ascii: ".") else { return nil }
                index += 1
            }
        }
        if index < count {
            let next = text[index]
            if next.isASCIIAlnum || next == UInt8(ascii: "_") { return nil }
            if index + 1 < count {
                let after = text[index + 1]
                // `1.2.3.4.5`, `1.2.3.4-beta`, `1.2.3.4+build7`
                if next == UInt8(ascii: "."), after.isASCIIDigit { return nil }
                if next == UInt8(ascii: "-") || next == UInt8(ascii: "+"), after.isASCIILetter { return nil }
            }
        }
        return index
    }

    /// Whether the word before `start` (past spaces, `:`, `=`, `#` or `.`) is a version word.
    static func followsVersionWord(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        var index = start - 1
        var skipped = 0
        while index >= 0, skipped < 3 {
            let byte = text[index]
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "=")
                || byte == UInt8(ascii: "#") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "\t")
            else { break }
            index -= 1
            skipped += 1
        }
        guard skipped > 0 else { return false }
        let end = index + 1
        while index >= 0, text[index].isASCIILetter, end - index <= 10 { index -= 1 }
        let word = index + 1
        guard end > word, word == 0 || !text[word - 1].isASCIIAlnum else { return false }
        return versionWords.contains { candidate in
            candidate.count == end - word && candidate.indices.allSatisfy { candidate[$0] == text[word + $0].asciiLowered }
        }
    }

    /// Looks for an IPv6 address around the colon at `colon`; returns the index up to which the
    /// colons need no second look.
    func ipv6At(_ text: UnsafeBufferPointer<UInt8>, _ colon: Int, into matches: inout [Match]) -> Int {
        let count = text.count
        var start = colon
        while start > 0, text[start - 1].isASCIIHex || text[start - 1] == UInt8(ascii: ":"), colon - start < 40 { start -= 1 }
        // The whole token, so its other colons are not tried again.
        var extent = colon + 1
        while extent < count, text[extent].isASCIIHex || text[extent] == UInt8(ascii: ":") || text[extent] == UInt8(ascii: "."),
            extent - start < 50
        {
            extent += 1
        }
        if start > 0 {
            let before = text[start - 1]
            if before.isASCIIAlnum || before == UInt8(ascii: ".") || before == UInt8(ascii: "_") || before == UInt8(ascii: "-") {
                return extent
            }
        }
        var index = start
        var groups = 0
        var hexDigits = 0
        var compressed = false
        if text[index] == UInt8(ascii: ":") {
            guard index + 1 < count, text[index + 1] == UInt8(ascii: ":") else { return extent }
            compressed = true
            index += 2
        }
        while index < count {
            var end = index
            var decimal = true
            while end < count, text[end].isASCIIHex, end - index < 5 {
                if !text[end].isASCIIDigit { decimal = false }
                end += 1
            }
            let length = end - index
            if length == 0 { break }
            if length > 4 { return extent }
            // An IPv4 tail (`::ffff:10.0.0.1`) counts as two groups.
            if decimal, end < count, text[end] == UInt8(ascii: "."), let tail = ipv4End(text, index) {
                groups += 2
                hexDigits += length
                index = tail
                break
            }
            groups += 1
            hexDigits += length
            index = end
            guard index + 1 < count, text[index] == UInt8(ascii: ":") else { break }
            if text[index + 1] == UInt8(ascii: ":") {
                if compressed { return extent }
                compressed = true
                index += 2
            } else if text[index + 1].isASCIIHex {
                index += 1
            } else {
                break
            }
        }
        let valid = compressed ? (2...7).contains(groups) && hexDigits >= 4 : groups == 8
        guard valid, Self.endsCleanly(text, index) else { return extent }
        if index < count, text[index] == UInt8(ascii: ":"), index + 1 < count, text[index + 1].isASCIIHex { return extent }
        matches.append(Match(start: start, end: index, rule: ipv6))
        return extent
    }
}
