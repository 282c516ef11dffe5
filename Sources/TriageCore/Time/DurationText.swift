/// Durations written the way operators write them: `90s`, `15m`, `4h`, `2d`, `1h30m`, `250ms`.
public enum DurationText {
    /// Parses `text`; `nil` when it is not a sequence of number+unit pairs (units ms, s, m, h, d).
    public static func parse(_ text: String) -> Duration? {
        var total: Duration = .zero
        var number = 0
        var haveNumber = false
        var chars = Array(text.lowercased().unicodeScalars)[...]
        guard !chars.isEmpty else { return nil }
        while let c = chars.first {
            if c.value >= 48, c.value <= 57 {
                let digit = Int(c.value - 48)
                guard number < 100_000_000 else { return nil }
                number = number * 10 + digit
                haveNumber = true
                chars.removeFirst()
                continue
            }
            guard haveNumber else { return nil }
            let unit: Duration
            if chars.starts(with: "ms".unicodeScalars) {
                unit = .milliseconds(1)
                chars.removeFirst(2)
            } else {
                switch c {
                case "s": unit = .seconds(1)
                case "m": unit = .seconds(60)
                case "h": unit = .seconds(3600)
                case "d": unit = .seconds(86_400)
                default: return nil
                }
                chars.removeFirst()
            }
            total += unit * number
            number = 0
            haveNumber = false
        }
        return haveNumber ? nil : total
    }

    /// Whole seconds as the largest units first: `1d2h`, `4h`, `3h40m`, `90s` → `1m30s`, `0s`.
    public static func format(_ duration: Duration) -> String {
        var seconds = Int(duration.components.seconds)
        let negative = seconds < 0
        seconds = abs(seconds)
        var parts = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= size {
            parts += "\(seconds / size)\(unit)"
            seconds %= size
        }
        return (negative ? "-" : "") + (parts.isEmpty ? "0s" : parts)
    }
}
