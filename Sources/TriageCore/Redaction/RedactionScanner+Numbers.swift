/// Cards (issuer prefix, length, Luhn), IBANs (country length, mod 97) and phone numbers.
extension RedactionScanner {
    /// The end of a payment card number starting at `start`: 13–19 digits, plain or in groups
    /// of four (or Amex/Diners 4-6-5 / 4-6-4), with a known issuer prefix and a valid Luhn digit.
    func cardEnd(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        let count = text.count
        var index = start
        while index < count, text[index].isASCIIDigit { index += 1 }
        let first = index - start
        if first >= 13 {
            guard first <= 19, Self.endsCleanly(text, index), Self.isCard(text, start, index) else { return nil }
            return index
        }
        guard first == 4, index + 1 < count else { return nil }
        let separator = text[index]
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { return nil }
        // Groups after the first, up to five; then the longest valid prefix of them.
        var ends = [index]
        var lengths = [4]
        while lengths.count < 6, index + 1 < count, text[index] == separator, text[index + 1].isASCIIDigit {
            var end = index + 1
            while end < count, text[end].isASCIIDigit, end - index <= 7 { end += 1 }
            lengths.append(end - index - 1)
            ends.append(end)
            index = end
        }
        // Sixteen digits in four groups first (most cards), then Amex/Diners and 13-digit shapes,
        // then 17–19 digits: a number written after a card is not swallowed into it.
        for groups in [4, 3, 5, 6] where groups <= lengths.count {
            let shape = Array(lengths[0..<groups])
            let total = shape.reduce(0, +)
            let fours = shape.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(shape.last ?? 0)
            let amex = shape == [4, 6, 5] || shape == [4, 6, 4]
            let end = ends[groups - 1]
            if (fours || amex), (13...19).contains(total),
                end == count || !text[end].isASCIIDigit, Self.endsCleanly(text, end) || groups < lengths.count,
                Self.isCard(text, start, end)
            {
                return end
            }
        }
        return nil
    }

    /// Issuer prefix and length, then Luhn, over the digits in `start..<end`.
    static func isCard(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var digits = 0
        var prefix = 0  // the first six digits
        for index in start..<end where text[index].isASCIIDigit {
            if digits < 6 { prefix = prefix * 10 + Int(text[index] &- 0x30) }
            digits += 1
        }
        guard digits >= 13 else { return false }
        func leading(_ count: Int) -> Int {
            var value = prefix
            for _ in count..<6 { value /= 10 }
            return value
        }
        let brand: Bool
        switch digits {
        case 13: brand = leading(1) == 4
        case 14: brand = (300...305).contains(leading(3)) || [36, 38, 39].contains(leading(2)) || isMaestro(leading(4))
        case 15: brand = [34, 37].contains(leading(2)) || isMaestro(leading(4))
        case 16:
            brand = leading(1) == 4 || (51...55).contains(leading(2)) || (2221...2720).contains(leading(4))
                || (2200...2204).contains(leading(4)) || leading(4) == 6011 || (644...649).contains(leading(3))
                || leading(2) == 65 || (3528...3589).contains(leading(4)) || leading(2) == 62 || [36, 38, 39].contains(leading(2))
                || isMaestro(leading(4))
        default:  // 17–19
            brand = leading(1) == 4 || leading(4) == 6011 || (644...649).contains(leading(3)) || leading(2) == 65
                || (3528...3589).contains(leading(4)) || leading(2) == 62 || (2200...2204).contains(leading(4))
                || [36, 38, 39].contains(leading(2)) || isMaestro(leading(4))
        }
        guard brand else { return false }
        var sum = 0
        var double = false
        var index = end
        while index > start {
            index -= 1
            guard text[index].isASCIIDigit else { continue }
            var digit = Int(text[index] &- 0x30)
            if double {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            double.toggle()
        }
        return sum % 10 == 0
    }

    static func isMaestro(_ four: Int) -> Bool {
        [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].contains(four)
    }

    /// An IBAN starting at the capital at `start`: country, two check digits, the country's length
    /// (grouped by four with single spaces, or not), mod 97 == 1.
    func ibanAt(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, into matches: inout [Match]) {
        let count = text.count
        guard start + 15 <= count, text[start + 1].isASCIIUpper, text[start + 2].isASCIIDigit, text[start + 3].isASCIIDigit,
            let length = IBANCountries.length(text[start], text[start + 1])
        else { return }
        var characters = 0
        var index = start
        while index < count, characters < length {
            let byte = text[index]
            if byte.isASCIIDigit || byte.isASCIIUpper {
                characters += 1
                index += 1
            } else if byte == UInt8(ascii: " "), characters % 4 == 0, index + 1 < count,
                text[index + 1].isASCIIDigit || text[index + 1].isASCIIUpper
            {
                index += 1
            } else {
                break
            }
        }
        guard characters == length, index == count || !text[index].isASCIIAlnum else { return }
        // Mod 97 of the digits with the first four characters moved to the end, letters as 10…35.
        var remainder = 0
        func add(_ byte: UInt8) {
            if byte.isASCIIDigit {
                remainder = (remainder * 10 + Int(byte &- 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(byte &- 0x41) + 10) % 97
            }
        }
        var seen = 0
        for position in start..<index where text[position] != UInt8(ascii: " ") {
            if seen >= 4 { add(text[position]) }
            seen += 1
        }
        for position in start..<(start + 4) { add(text[position]) }
        if remainder == 1 { matches.append(Match(start: start, end: index, rule: iban)) }
    }

    /// Phones without `+` starting at the digit at `start`: North American `415-555-2671`,
    /// `415.555.2671`, `1-415-555-2671`, or national numbers starting with `0` in groups
    /// (`020 7946 0958`, `030/1234567`, `06 12 34 56 78`).
    func phoneEnd(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        if start > 0 {
            // Part of a longer identifier (`INC-415-555-2671`, `v1.415…`) or digit groups (`3704 0044 0532`).
            let before = text[start - 1]
            if before == UInt8(ascii: "-") || before == UInt8(ascii: ".") || before == UInt8(ascii: "/")
                || before == UInt8(ascii: "_")
            {
                return nil
            }
            if before == UInt8(ascii: " "), start >= 2, text[start - 2].isASCIIDigit { return nil }
        }
        if text[start] == UInt8(ascii: "0") { return nationalEnd(text, start) }
        var index = start
        if text[start] == UInt8(ascii: "1"), start + 1 < text.count, text[start + 1] == UInt8(ascii: "-") || text[start + 1] == UInt8(ascii: ".") {
            index = start + 2
        }
        return northAmericanEnd(text, index, separator: nil)
    }

    /// `ddd-ddd-dddd` or `ddd.ddd.dddd` from `index`; area code and exchange start with 2–9.
    func northAmericanEnd(_ text: UnsafeBufferPointer<UInt8>, _ index: Int, separator expected: UInt8?) -> Int? {
        guard Self.digits(text, index, exactly: 3), index + 12 <= text.count, text[index] >= UInt8(ascii: "2") else { return nil }
        let separator = text[index + 3]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "."), expected == nil || expected == separator,
            Self.digits(text, index + 4, exactly: 3), text[index + 4] >= UInt8(ascii: "2"), text[index + 7] == separator,
            Self.digits(text, index + 8, exactly: 4), Self.endsCleanly(text, index + 12)
        else { return nil }
        return index + 12
    }

    /// `0` and 10–11 digits (12–15 after `00`) in at least two groups with one kind of separator.
    func nationalEnd(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        let count = text.count
        var index = start
        var digits = 0
        var groups = 0
        var separator: UInt8?
        var firstGroup = 0
        while index < count {
            var end = index
            while end < count, text[end].isASCIIDigit { end += 1 }
            guard end > index else { break }
            groups += 1
            if groups == 1 { firstGroup = end - index }
            digits += end - index
            index = end
            guard index + 1 < count, text[index + 1].isASCIIDigit else { break }
            let byte = text[index]
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "."),
                separator == nil || separator == byte
            else { break }
            separator = byte
            index += 1
        }
        // `0` then an area code (never 0), or `00` then a country code (never 0).
        guard start + 2 < count else { return nil }
        let international = text[start + 1] == UInt8(ascii: "0")
        let lead = international ? text[start + 2] : text[start + 1]
        guard lead.isASCIIDigit, lead != UInt8(ascii: "0") else { return nil }
        let allowed = international ? 12...15 : 10...11
        guard groups >= 2, (2...5).contains(firstGroup), allowed.contains(digits), Self.endsCleanly(text, index) else { return nil }
        return index
    }

    /// Phones at `+` (`+` and 8–15 digits in groups) or `(` (`(415) 555-2671`).
    func phoneAtSign(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, into matches: inout [Match]) {
        let count = text.count
        guard start + 1 < count, text[start + 1].isASCIIDigit else { return }
        if start > 0, text[start - 1].isASCIIAlnum || text[start - 1] == text[start] { return }
        if text[start] == UInt8(ascii: "(") {
            // (ddd) ddd-dddd
            guard Self.digits(text, start + 1, exactly: 3), start + 5 < count, text[start + 4] == UInt8(ascii: ")"),
                text[start + 1] >= UInt8(ascii: "2")
            else { return }
            var index = start + 5
            if index < count, text[index] == UInt8(ascii: " ") { index += 1 }
            guard Self.digits(text, index, exactly: 3), text[index] >= UInt8(ascii: "2"), index + 8 <= count,
                text[index + 3] == UInt8(ascii: "-") || text[index + 3] == UInt8(ascii: "."), Self.digits(text, index + 4, exactly: 4),
                Self.endsCleanly(text, index + 8)
            else { return }
            matches.append(Match(start: start, end: index + 8, rule: phone))
            return
        }
        guard text[start + 1] != UInt8(ascii: "0") else { return }
        var index = start + 1
        var digits = 0
        var lastDigitEnd = index
        var inParenthesis = false
        var separated = false  // the previous byte was a separator
        while index < count, digits <= 15 {
            let byte = text[index]
            if byte.isASCIIDigit {
                digits += 1
                index += 1
                lastDigitEnd = index
                separated = false
            } else if byte == UInt8(ascii: "("), !inParenthesis, index + 1 < count, text[index + 1].isASCIIDigit {
                inParenthesis = true
                index += 1
                separated = true
            } else if byte == UInt8(ascii: ")"), inParenthesis, !separated {
                inParenthesis = false
                index += 1
                separated = false
                if index < count, text[index] == UInt8(ascii: " ") || text[index] == UInt8(ascii: "-") { index += 1 }
            } else if !separated, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "."),
                index + 1 < count, text[index + 1].isASCIIDigit || text[index + 1] == UInt8(ascii: "(")
            {
                index += 1
                separated = true
            } else {
                break
            }
        }
        guard !inParenthesis, (8...15).contains(digits), Self.endsCleanly(text, lastDigitEnd) else { return }
        matches.append(Match(start: start, end: lastDigitEnd, rule: phone))
    }
}
