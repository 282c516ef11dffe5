import FoundationEssentials

/// Number, period and escaping helpers shared by the report renderings (FoundationEssentials has
/// no `String(format:)` nor number formatters).
enum ReportText {
    /// `value` rounded to `digits` decimals, without exponent: `fixed(2.0 / 3, digits: 1)` is `0.7`.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let units = Int64((abs(value) * Double(scale)).rounded())
        var fraction = String(units % scale)
        while fraction.count < digits { fraction = "0" + fraction }
        let sign = value < 0 && units != 0 ? "-" : ""
        return sign + String(units / scale) + (digits > 0 ? "." + fraction : "")
    }

    /// `value` rounded to `digits` decimals, as a number (for JSON).
    static func rounded(_ value: Double, digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    /// A ratio as a percentage with `digits` decimals: `0.75` → `75.0%`; `missing` when `nil`.
    static func percent(_ ratio: Double?, digits: Int = 1, missing: String = "-") -> String {
        guard let ratio else { return missing }
        return fixed(ratio * 100, digits: digits) + "%"
    }

    /// A ratio as a percentage with at most one decimal: `0.95` → `95%`, `0.975` → `97.5%`.
    static func shortPercent(_ ratio: Double) -> String {
        let text = fixed(ratio * 100, digits: 1)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + "%"
    }

    /// Seconds as `3h40m`; `missing` when `nil`.
    static func duration(_ seconds: Int?, missing: String = "-") -> String {
        guard let seconds else { return missing }
        return DurationText.format(.seconds(seconds))
    }

    /// A price with two decimals; `missing` when `nil`.
    static func money(_ value: Double?, missing: String = "-") -> String {
        guard let value else { return missing }
        return fixed(value, digits: 2)
    }

    /// The period in words: `2026-11-01 to 2026-11-30 (UTC)` when both ends are UTC midnights
    /// (the end being exclusive, the last day shown is the one before it), else the two instants.
    static func period(from: Date, to: Date) -> String {
        let (start, end) = (from.timeIntervalSince1970, to.timeIntervalSince1970)
        guard start.truncatingRemainder(dividingBy: 86_400) == 0, end.truncatingRemainder(dividingBy: 86_400) == 0,
            end > start
        else {
            return "\(RFC3339.format(from)) to \(RFC3339.format(to)) (end exclusive)"
        }
        let first = LocalDate(daysSinceEpoch: Int(start / 86_400))
        let last = LocalDate(daysSinceEpoch: Int(end / 86_400) - 1)
        return first == last ? "\(first) (UTC)" : "\(first) to \(last) (UTC)"
    }

    /// `text` padded with spaces to `width` characters, on the right (or on the left when `right`).
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    /// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// `text` safe in HTML and SVG text and in quoted attribute values (``HTMLText/escape(_:)``).
    static func html(_ text: String) -> String {
        HTMLText.escape(text)
    }

    /// At most `limit` characters of `text`, ending in `…` when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
    }
}
