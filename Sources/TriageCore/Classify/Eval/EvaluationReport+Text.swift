import FoundationEssentials

extension EvaluationReport {
    /// A readable rendering: the headline figures, then one line per label (most support first),
    /// `*` marking the labels macro-F1 averages over.
    public var text: String {
        let t = Self.fixed(threshold, digits: 2)
        let headline: [(String, String)] = [
            ("accuracy", Self.fixed(accuracy, digits: 4)),
            ("macro-F1 (\(macroLabels.count) labels with ≥ \(Self.minimumTrainingRows) training rows)",
                Self.fixed(macroF1, digits: 4)),
            ("coverage at confidence ≥ \(t)", Self.fixed(coverage, digits: 4)),
            ("precision at confidence ≥ \(t)", Self.fixed(precisionAtThreshold, digits: 4)),
            ("coverage at precision 0.90", Self.fixed(coverageAtPrecision90, digits: 4)),
        ]
        let nameWidth = headline.map(\.0.count).max() ?? 0
        var lines = headline.map { Self.pad($0.0, nameWidth) + "  " + $0.1 }
        lines.append("")

        let macro = Set(macroLabels)
        let labels = perLabel.keys.sorted { a, b in
            let (sa, sb) = (perLabel[a]?.support ?? 0, perLabel[b]?.support ?? 0)
            return sa != sb ? sa > sb : a < b
        }
        let labelWidth = max(5, (labels.map(\.count).max() ?? 0) + 2)
        lines.append(
            Self.pad("label", labelWidth) + Self.pad("precision", 10, right: true) + Self.pad("recall", 8, right: true)
                + Self.pad("f1", 8, right: true) + Self.pad("support", 9, right: true))
        for label in labels {
            guard let score = perLabel[label] else { continue }
            lines.append(
                Self.pad(label + (macro.contains(label) ? " *" : ""), labelWidth)
                    + Self.pad(Self.fixed(score.precision, digits: 4), 10, right: true)
                    + Self.pad(Self.fixed(score.recall, digits: 4), 8, right: true)
                    + Self.pad(Self.fixed(score.f1, digits: 4), 8, right: true)
                    + Self.pad(String(score.support), 9, right: true))
        }
        lines.append("* counts toward macro-F1")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `value` rounded to `digits` decimals, written without exponent (FoundationEssentials has
    /// no `String(format:)`).
    static func fixed(_ value: Double, digits: Int) -> String {
        ReportText.fixed(value, digits: digits)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
