import FoundationEssentials

/// Reads the pieces of a POSIX `TZ` string, for ``PosixTZRule``.
struct PosixTZScanner {
    let text: String
    let bytes: [UInt8]
    var i = 0

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    var atEnd: Bool { i >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[i] }

    func failure(_ what: String) -> ZoneRulesError {
        ZoneRulesError("invalid POSIX TZ string '\(text)': \(what) at offset \(i)")
    }

    mutating func expect(_ byte: UInt8) throws(ZoneRulesError) {
        guard peek == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        i += 1
    }

    /// A zone abbreviation: three or more letters, or `<…>` with letters, digits, `+` and `-`.
    mutating func name() throws(ZoneRulesError) {
        let start = i
        if peek == UInt8(ascii: "<") {
            i += 1
            while let c = peek, c != UInt8(ascii: ">") {
                guard isAlpha(c) || isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") else {
                    throw failure("bad character in quoted name")
                }
                i += 1
            }
            guard peek == UInt8(ascii: ">"), i - start - 1 >= 3 else { throw failure("bad quoted name") }
            i += 1
        } else {
            while let c = peek, isAlpha(c) { i += 1 }
            guard i - start >= 3 else {
                i = start
                throw failure("expected a zone name of three or more letters")
            }
        }
    }

    /// `[+-]hh[:mm[:ss]]` as signed seconds, POSIX sign (positive west of Greenwich).
    mutating func offset() throws(ZoneRulesError) -> Int {
        try signedTime(maxHours: 24)
    }

    /// A transition: `,date[/time]` without the comma. The time defaults to 02:00:00.
    mutating func change() throws(ZoneRulesError) -> PosixTZRule.Change {
        let day: PosixTZRule.Day
        if peek == UInt8(ascii: "M") {
            i += 1
            let month = try number(1...12, "month")
            try expect(UInt8(ascii: "."))
            let week = try number(1...5, "week")
            try expect(UInt8(ascii: "."))
            let weekday = try number(0...6, "weekday")
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else if peek == UInt8(ascii: "J") {
            i += 1
            day = .julianNoLeap(try number(1...365, "Julian day"))
        } else {
            day = .zeroBased(try number(0...365, "day"))
        }
        var time = 7200
        if peek == UInt8(ascii: "/") {
            i += 1
            time = try signedTime(maxHours: 167)
        }
        return PosixTZRule.Change(day: day, time: time)
    }

    private mutating func signedTime(maxHours: Int) throws(ZoneRulesError) -> Int {
        var sign = 1
        if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") {
            sign = peek == UInt8(ascii: "-") ? -1 : 1
            i += 1
        }
        var seconds = try number(0...maxHours, "hours") * 3600
        if peek == UInt8(ascii: ":") {
            i += 1
            seconds += try number(0...59, "minutes") * 60
            if peek == UInt8(ascii: ":") {
                i += 1
                seconds += try number(0...59, "seconds")
            }
        }
        return sign * seconds
    }

    private mutating func number(_ range: ClosedRange<Int>, _ what: String) throws(ZoneRulesError) -> Int {
        let start = i
        var value = 0
        while let c = peek, isDigit(c), i - start < 4 {
            value = value * 10 + Int(c - 48)
            i += 1
        }
        guard i > start else { throw failure("expected \(what)") }
        guard range.contains(value) else {
            i = start
            throw failure("\(what) \(value) out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    private func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
}
