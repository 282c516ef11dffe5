import FoundationEssentials

extension DryRun {
    /// One horizontal bar: a name, its count and its CSS class; `aside` names are not vendors or
    /// rules (internal queue, suppressed, the rest) and are set in italics.
    struct HTMLBar {
        var name: String
        var count: Int
        var style: String
        var aside = false
    }

    /// The most bars a horizontal chart draws.
    static let htmlBarLimit = 25

    /// Incidents per vendor, then the internal queue and the suppressed ones, so the bars add up to
    /// all incidents; past ``htmlBarLimit`` the smallest vendors share one bar.
    static func htmlVendorChart(_ summary: DryRunSummary) -> String {
        let vendors = summary.vendors
        let shown = vendors.count > htmlBarLimit - 2 ? htmlBarLimit - 3 : vendors.count
        var bars = vendors.prefix(shown).map { HTMLBar(name: $0.name, count: $0.count, style: "vendor") }
        let others = vendors.dropFirst(shown)
        if !others.isEmpty {
            let count = others.map(\.count).reduce(0, +)
            bars.append(HTMLBar(name: "\(others.count) other vendors", count: count, style: "vendor", aside: true))
        }
        if summary.unassigned > 0 {
            bars.append(HTMLBar(name: "internal queue", count: summary.unassigned, style: "queue", aside: true))
        }
        if summary.suppressed > 0 {
            bars.append(HTMLBar(name: "suppressed", count: summary.suppressed, style: "suppressed", aside: true))
        }
        guard !bars.isEmpty else { return "<p class=\"na\">No incidents.</p>\n" }
        return htmlBars(bars, total: summary.incidents, label: "Incidents per vendor, internal queue and suppressed")
    }

    /// Escalation steps and missed targets per vendor, and the capacity overflows; `nil` when there are none.
    static func htmlSLAChart(_ summary: DryRunSummary) -> String? {
        guard !summary.escalations.isEmpty || !summary.breaches.isEmpty || summary.capacityOverflows > 0 else { return nil }
        var out = ""
        if !summary.escalations.isEmpty {
            let bars = summary.escalations.prefix(htmlBarLimit).map { HTMLBar(name: $0.name, count: $0.count, style: "vendor") }
            out += htmlBars(bars, total: summary.escalations.map(\.count).reduce(0, +), label: "Escalation steps that fire per vendor")
        }
        if !summary.breaches.isEmpty {
            let bars = summary.breaches.prefix(htmlBarLimit).map { HTMLBar(name: $0.name, count: $0.count, style: "queue") }
            out += htmlBars(bars, total: summary.breaches.map(\.count).reduce(0, +), label: "SLA targets missed per vendor")
        }
        out += "<p class=\"na\">A vendor was passed over at capacity for \(htmlCount(summary.capacityOverflows, "incident")). "
        out += "Without <code>--replay</code> every step an SLA plan holds is counted (nobody acts); with it, only those due "
        out += "before the acknowledgement or resolution the history gives.</p>\n"
        return out
    }

    /// Incidents matched per rule (an incident can match several), then the rules that never fired.
    static func htmlRuleChart(_ summary: DryRunSummary) -> String {
        var out: String
        if summary.ruleHits.isEmpty {
            out = "<p class=\"na\">No rule matched any incident.</p>\n"
        } else {
            let bars = summary.ruleHits.prefix(htmlBarLimit).map { HTMLBar(name: $0.name, count: $0.count, style: "rule") }
            out = htmlBars(bars, total: summary.incidents, label: "Incidents matched per rule")
            let rest = summary.ruleHits.dropFirst(htmlBarLimit)
            if let most = rest.map(\.count).max() {
                out += "<p class=\"na\">and \(htmlGrouped(rest.count)) more rules that fired, each on at most "
                out += "\(htmlCount(most, "incident")).</p>\n"
            }
        }
        if !summary.neverHit.isEmpty {
            out += "<p class=\"never\"><strong>never fired:</strong> "
            out += summary.neverHit.map { "<code>\(ReportText.html($0))</code>" }.joined(separator: ", ")
            out += " <span class=\"na\">(no incident matched \(summary.neverHit.count == 1 ? "this rule" : "these rules"): "
            out += "candidates for a fix or removal)</span></p>\n"
        } else if !summary.ruleHits.isEmpty {
            out += "<p class=\"allfired\">Every rule fired at least once.</p>\n"
        }
        return out
    }

    /// Horizontal bars with the name on the left and the count and share of `total` at the bar's end.
    static func htmlBars(_ bars: [HTMLBar], total: Int, label: String) -> String {
        let (width, left, right, top, row, bottom) = (760.0, 220.0, 104.0, 8.0, 26.0, 30.0)
        let plot = width - left - right
        let (step, ceiling) = htmlCountAxis(bars.map(\.count).max() ?? 0)
        let axisY = top + row * Double(bars.count)
        func x(_ count: Int) -> Double { left + plot * Double(count) / Double(ceiling) }

        var svg = SLAReport.svgOpen(width: width, height: axisY + bottom, label: label)
        for tick in stride(from: 0, through: ceiling, by: step) {
            let tx = coordinate(x(tick))
            svg += "<line class=\"grid\" x1=\"\(tx)\" y1=\"\(coordinate(top))\" x2=\"\(tx)\" y2=\"\(coordinate(axisY))\"/>"
            svg += "<text class=\"muted\" x=\"\(tx)\" y=\"\(coordinate(axisY + 16))\" text-anchor=\"middle\">"
            svg += "\(htmlGrouped(tick))</text>\n"
        }
        for (index, bar) in bars.enumerated() {
            let y = top + row * Double(index) + 4
            let share = total > 0 ? ReportText.shortPercent(Double(bar.count) / Double(total)) : ""
            let tip = "\(bar.name): \(htmlCount(bar.count, "incident"))" + (share.isEmpty ? "" : " (\(share) of all)")
            svg += "<text\(bar.aside ? " class=\"aside\"" : "") x=\"\(coordinate(left - 8))\" y=\"\(coordinate(y + 13))\" "
            svg += "text-anchor=\"end\"><title>\(ReportText.html(tip))</title>"
            svg += "\(ReportText.html(ReportText.shortened(bar.name, to: 30)))</text>"
            let length = bar.count > 0 ? max(1, x(bar.count) - left) : 0
            svg += "<rect class=\"\(bar.style)\" x=\"\(coordinate(left))\" y=\"\(coordinate(y))\" "
            svg += "width=\"\(coordinate(length))\" height=\"18\"><title>\(ReportText.html(tip))</title></rect>"
            svg += "<text x=\"\(coordinate(left + length + 6))\" y=\"\(coordinate(y + 13))\">\(htmlGrouped(bar.count))"
            svg += share.isEmpty ? "</text>\n" : "<tspan class=\"muted\">\u{A0}·\u{A0}\(share)</tspan></text>\n"
        }
        svg += "<line class=\"axis\" x1=\"\(coordinate(left))\" y1=\"\(coordinate(top))\" x2=\"\(coordinate(left))\" "
        svg += "y2=\"\(coordinate(axisY))\"/>\n"
        return svg + "</svg>\n"
    }

    /// Columns P1 to P5 (and any other priority seen), the count above each and its share below.
    static func htmlPriorityChart(_ summary: DryRunSummary) -> String {
        let counts = Dictionary(summary.priorities.map { ($0.name, $0.count) }, uniquingKeysWith: +)
        guard !counts.isEmpty else { return "<p class=\"na\">No incidents.</p>\n" }
        let known = Priority.allCases.map(\.rawValue)
        let names = known + counts.keys.filter { !known.contains($0) }.sorted()
        let (left, top, plotHeight, bottom, column, barWidth) = (56.0, 24.0, 180.0, 44.0, 84.0, 44.0)
        let width = left + column * Double(names.count) + 16
        let (step, ceiling) = htmlCountAxis(counts.values.max() ?? 0)
        func y(_ count: Int) -> Double { top + plotHeight * (1 - Double(count) / Double(ceiling)) }

        var svg = SLAReport.svgOpen(width: width, height: top + plotHeight + bottom, label: "Incidents per priority")
        for tick in stride(from: 0, through: ceiling, by: step) {
            let ty = coordinate(y(tick))
            svg += "<line class=\"grid\" x1=\"\(coordinate(left))\" y1=\"\(ty)\" x2=\"\(coordinate(width - 16))\" y2=\"\(ty)\"/>"
            svg += "<text class=\"muted\" x=\"\(coordinate(left - 6))\" y=\"\(coordinate(y(tick) + 4))\" text-anchor=\"end\">"
            svg += "\(htmlGrouped(tick))</text>\n"
        }
        for (index, name) in names.enumerated() {
            let count = counts[name] ?? 0
            let center = left + column * (Double(index) + 0.5)
            let style = known.firstIndex(of: name).map { "prio\($0 + 1)" } ?? "prio0"
            let share = ReportText.shortPercent(Double(count) / Double(max(1, summary.incidents)))
            let tip = "\(name): \(htmlCount(count, "incident")) (\(share))"
            svg += "<rect class=\"\(style)\" x=\"\(coordinate(center - barWidth / 2))\" y=\"\(coordinate(y(count)))\" "
            svg += "width=\"\(coordinate(barWidth))\" height=\"\(coordinate(y(0) - y(count)))\">"
            svg += "<title>\(ReportText.html(tip))</title></rect>"
            svg += "<text x=\"\(coordinate(center))\" y=\"\(coordinate(y(count) - 5))\" text-anchor=\"middle\">"
            svg += "\(htmlGrouped(count))</text>"
            svg += "<text x=\"\(coordinate(center))\" y=\"\(coordinate(y(0) + 17))\" text-anchor=\"middle\">"
            svg += "\(ReportText.html(ReportText.shortened(name, to: 10)))</text>"
            svg += "<text class=\"muted\" x=\"\(coordinate(center))\" y=\"\(coordinate(y(0) + 33))\" text-anchor=\"middle\">"
            svg += "\(share)</text>\n"
        }
        svg += "<line class=\"axis\" x1=\"\(coordinate(left))\" y1=\"\(coordinate(y(0)))\" x2=\"\(coordinate(width - 16))\" "
        svg += "y2=\"\(coordinate(y(0)))\"/>\n"
        return svg + "</svg>\n"
    }

    /// Accuracy and macro-F1 in words and the most frequent wrong answers; `nil` without labels.
    static func htmlLabels(_ summary: DryRunSummary) -> String? {
        guard summary.labelled > 0, let accuracy = summary.accuracy else { return nil }
        let field = ReportText.html(summary.labelField ?? "label")
        var out = "<p>Of \(htmlCount(summary.labelled, "labelled incident")), the dry-run's \(field) equals the label "
        out += "for <strong>\(ReportText.percent(accuracy))</strong>"
        out += summary.macroF1.map { "; macro-F1 <strong>\(ReportText.percent($0))</strong>.</p>\n" } ?? ".</p>\n"
        guard !summary.confusions.isEmpty else { return out + "<p class=\"allfired\">No wrong answer.</p>\n" }
        out += "<h3>Most frequent wrong answers</h3>\n<div class=\"scroll\"><table class=\"listing\">\n<thead><tr>"
        out += "<th>Label (\(field))</th><th>Dry-run said</th><th>Incidents</th></tr></thead>\n<tbody>\n"
        for confusion in summary.confusions {
            out += "<tr><td>\(ReportText.html(confusion.truth))</td><td>\(ReportText.html(confusion.predicted))</td>"
            out += "<td class=\"num\">\(htmlGrouped(confusion.count))</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    /// A tick step of 1, 2 or 5 times a power of ten and the axis top (a multiple of it, at least
    /// `highest`) with at most 5 steps.
    static func htmlCountAxis(_ highest: Int) -> (step: Int, ceiling: Int) {
        let value = max(1, highest)
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] {
                let step = factor * magnitude
                let steps = (value + step - 1) / step
                if steps <= 5 { return (step, steps * step) }
            }
            magnitude *= 10
        }
    }
}

/// A coordinate with at most one decimal: `12`, `12.5`.
private func coordinate(_ value: Double) -> String {
    let text = ReportText.fixed(value, digits: 1)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}
