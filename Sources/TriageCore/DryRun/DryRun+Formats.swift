import FoundationEssentials

extension DryRun {
    /// One aligned line per incident, then the summary. `colour` adds ANSI colours (for a
    /// terminal): the header bold, P1 red, abstained yellow, the internal queue red, suppressed dim.
    public static func table(_ outcomes: [Outcome], summary: DryRunSummary, colour: Bool = false) -> String {
        table(rows: outcomes.map(tableRow), summary: summary, colour: colour)
    }

    /// The cells of one incident's line (what a streamed run keeps instead of the outcome).
    public static func tableRow(_ outcome: Outcome) -> [String] {
        [
            outcome.at, outcome.id, outcome.priority,
            outcome.category ?? (outcome.abstained ? "(abstained)" : "-"),
            outcome.suppressed != nil ? "(suppressed)" : (outcome.vendor ?? "(internal queue)"),
            outcome.matchedRules.isEmpty ? "-" : outcome.matchedRules.joined(separator: ","), String(outcome.title.prefix(60)),
        ]
    }

    public static func table(rows cells: [[String]], summary: DryRunSummary, colour: Bool = false) -> String {
        let rows = [["TIME", "ID", "PRI", "CATEGORY", "VENDOR", "RULES", "TITLE"]] + cells
        let widths = (0..<7).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = rows.enumerated().map { number, row in
            zip(row, widths).enumerated().map { index, pair in
                let cell = index == 6 ? pair.0 : pair.0 + String(repeating: " ", count: pair.1 - pair.0.count)
                guard colour else { return cell }
                if number == 0 { return "\u{1B}[1m" + cell + "\u{1B}[0m" }
                switch pair.0 {
                case "P1": return "\u{1B}[1;31m" + cell + "\u{1B}[0m"
                case "(abstained)": return "\u{1B}[33m" + cell + "\u{1B}[0m"
                case "(internal queue)": return "\u{1B}[31m" + cell + "\u{1B}[0m"
                case "(suppressed)": return "\u{1B}[2m" + cell + "\u{1B}[0m"
                default: return cell
                }
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n\n"
        text += summaryText(summary)
        return text
    }

    public static func summaryText(_ summary: DryRunSummary) -> String {
        let hits = summary.ruleHits.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let vendors = summary.vendors.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let never = summary.neverHit.joined(separator: ", ")
        var lines: [String] = []
        lines.append(
            "incidents: \(summary.incidents); abstained: \(summary.abstained); suppressed: \(summary.suppressed); "
                + "internal queue: \(summary.unassigned)")
        lines.append("rule hits: " + (hits.isEmpty ? "none" : hits))
        lines.append("rules never hit: " + (never.isEmpty ? "none" : never))
        lines.append("vendors: " + (vendors.isEmpty ? "none" : vendors))
        let escalations = summary.escalations.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let breaches = summary.breaches.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        lines.append("escalation steps: " + (escalations.isEmpty ? "none" : escalations))
        lines.append("SLA breaches: " + (breaches.isEmpty ? "none" : breaches))
        lines.append("passed over at capacity: \(summary.capacityOverflows)")
        if let accuracy = summary.accuracy, let macroF1 = summary.macroF1, let field = summary.labelField {
            lines.append(
                "against the labels (\(field), \(summary.labelled) labelled): accuracy \(percent(accuracy)), macro-F1 \(percent(macroF1))")
            for confusion in summary.confusions {
                lines.append("  \(confusion.truth) → \(confusion.predicted): \(confusion.count)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"incidents": [...], "summary": {...}, "comparison": {...}}`, each object with sorted keys.
    /// Written in pieces so a streamed run writes each incident as it is decided.
    public static func json(_ outcomes: [Outcome], summary: DryRunSummary, comparison: DryRunComparison? = nil) -> String {
        jsonHead + outcomes.enumerated().map { jsonItem($1, first: $0 == 0) }.joined() + jsonTail(summary, comparison)
    }

    public static let jsonHead = "{\n\"incidents\": ["

    /// One incident of the `incidents` array, with the comma before it unless it is the first.
    public static func jsonItem(_ outcome: Outcome, first: Bool) -> String {
        (first ? "\n" : ",\n") + encoded(outcome)
    }

    public static func jsonTail(_ summary: DryRunSummary, _ comparison: DryRunComparison?) -> String {
        var tail = "\n],\n\"summary\": " + encoded(summary)
        if let comparison { tail += ",\n\"comparison\": " + encoded(comparison) }
        return tail + "\n}\n"
    }

    static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func percent(_ value: Double) -> String {
        ReportText.fixed(value * 100, digits: 1) + "%"
    }
}
