import FoundationEssentials

extension SLAReport {
    /// Grouped bars: per vendor, the acknowledge and resolve attainment (0–100 %), with a dashed
    /// line at `target`. A target with no verdict shows `n/a` instead of a bar.
    func attainmentChart(target: Double) -> String {
        guard !vendors.isEmpty else { return "<p class=\"na\">No SLA clocks in this period.</p>\n" }
        let (left, top, plotHeight, bottom) = (48.0, 44.0, 220.0, 44.0)
        let (barWidth, barGap) = (34.0, 6.0)
        let groupWidth = max(120, 360 / Double(vendors.count))
        let width = left + groupWidth * Double(vendors.count) + 16
        let height = top + plotHeight + bottom
        func y(_ ratio: Double) -> Double { top + plotHeight * (1 - min(1, max(0, ratio))) }

        var svg = Self.svgOpen(
            width: width, height: height, label: "Attainment by vendor, acknowledge and resolve, in percent")
        for tick in stride(from: 0, through: 100, by: 25) {
            let ty = y(Double(tick) / 100)
            svg += "<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(ty))\" x2=\"\(n(width - 16))\" y2=\"\(n(ty))\"/>"
            svg += "<text class=\"muted\" x=\"\(n(left - 6))\" y=\"\(n(ty + 4))\" text-anchor=\"end\">\(tick)%</text>\n"
        }
        for (index, section) in vendors.enumerated() {
            let center = left + groupWidth * (Double(index) + 0.5)
            let bars: [(String, String, TargetFigures)] = [
                ("ack", "acknowledge", section.total.acknowledge), ("res", "resolve", section.total.resolve),
            ]
            for (position, (style, name, figures)) in bars.enumerated() {
                let x = center - barWidth - barGap / 2 + Double(position) * (barWidth + barGap)
                let middle = n(x + barWidth / 2)
                guard let value = figures.attainment else {
                    svg += "<text class=\"muted\" x=\"\(middle)\" y=\"\(n(y(0) - 4))\" text-anchor=\"middle\">n/a</text>\n"
                    continue
                }
                let tip = "\(section.vendor) · \(name): \(ReportText.percent(value)) (\(figures.met) of \(figures.total))"
                svg += "<rect class=\"\(style)\" x=\"\(n(x))\" y=\"\(n(y(value)))\" width=\"\(n(barWidth))\" "
                svg += "height=\"\(n(y(0) - y(value)))\"><title>\(ReportText.html(tip))</title></rect>"
                svg += "<text x=\"\(middle)\" y=\"\(n(y(value) - 4))\" text-anchor=\"middle\">"
                svg += "\(ReportText.percent(value, digits: 0))</text>\n"
            }
            svg += Self.svgLabel(section.vendor, x: center, y: top + plotHeight + 18, limit: 16)
        }
        let targetY = y(target)
        svg += "<line class=\"target\" x1=\"\(n(left))\" y1=\"\(n(targetY))\" x2=\"\(n(width - 16))\" y2=\"\(n(targetY))\">"
        svg += "<title>target \(ReportText.shortPercent(target))</title></line>\n"
        svg += "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(y(0)))\" x2=\"\(n(width - 16))\" y2=\"\(n(y(0)))\"/>\n"
        svg += Self.legend(
            [("ack", "Acknowledge"), ("res", "Resolve")], x: left, y: 14,
            note: "target \(ReportText.shortPercent(target))", targetLine: true)
        return svg + "</svg>\n"
    }

    /// Bars per vendor and priority: median and p90 business time to resolve, on a time axis.
    func resolveTimeChart() -> String {
        let groups = vendors.flatMap { section in section.priorities.map { (section.vendor, $0) } }
        let highest = groups.compactMap { $0.1.resolve.business?.p90 }.max()
        guard let highest else { return "<p class=\"na\">No incident was resolved in this period.</p>\n" }
        let (left, top, plotHeight, bottom) = (64.0, 36.0, 220.0, 60.0)
        let (barWidth, barGap, groupWidth, vendorGap) = (22.0, 4.0, 64.0, 16.0)
        let (step, ceiling) = Self.timeAxis(highest)
        let plotWidth = groupWidth * Double(groups.count) + vendorGap * Double(max(0, vendors.count - 1))
        let width = left + max(360, plotWidth) + 16
        let height = top + plotHeight + bottom
        func y(_ seconds: Int) -> Double { top + plotHeight * (1 - Double(seconds) / Double(ceiling)) }

        var svg = Self.svgOpen(
            width: width, height: height, label: "Median and p90 business time to resolve by vendor and priority")
        for tick in stride(from: 0, through: ceiling, by: step) {
            let ty = y(tick)
            svg += "<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(ty))\" x2=\"\(n(width - 16))\" y2=\"\(n(ty))\"/>"
            svg += "<text class=\"muted\" x=\"\(n(left - 6))\" y=\"\(n(ty + 4))\" text-anchor=\"end\">"
            svg += "\(tick == 0 ? "0" : ReportText.duration(tick))</text>\n"
        }
        var x = left + (width - 16 - left - plotWidth) / 2  // centred when narrower than the axis
        for section in vendors {
            let start = x
            for row in section.priorities {
                let center = x + groupWidth / 2
                let figures = row.resolve.business
                let bars: [(String, String, Int?)] = [("median", "median", figures?.median), ("p90", "p90", figures?.p90)]
                for (position, (style, name, seconds)) in bars.enumerated() {
                    let bx = center - barWidth - barGap / 2 + Double(position) * (barWidth + barGap)
                    guard let seconds else { continue }
                    let tip = "\(section.vendor) · \(row.priority?.rawValue ?? "") · \(name) \(ReportText.duration(seconds))"
                    svg += "<rect class=\"\(style)\" x=\"\(n(bx))\" y=\"\(n(y(seconds)))\" width=\"\(n(barWidth))\" "
                    svg += "height=\"\(n(y(0) - y(seconds)))\"><title>\(ReportText.html(tip))</title></rect>\n"
                }
                if figures == nil {
                    svg += "<text class=\"muted\" x=\"\(n(center))\" y=\"\(n(y(0) - 4))\" text-anchor=\"middle\">n/a</text>\n"
                }
                svg += "<text x=\"\(n(center))\" y=\"\(n(top + plotHeight + 16))\" text-anchor=\"middle\">"
                svg += "\(row.priority?.rawValue ?? "")</text>\n"
                x += groupWidth
            }
            let span = x - start
            svg += Self.svgLabel(
                section.vendor, x: start + span / 2, y: top + plotHeight + 36, limit: max(6, Int(span / 7)))
            x += vendorGap
        }
        svg += "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(y(0)))\" x2=\"\(n(width - 16))\" y2=\"\(n(y(0)))\"/>\n"
        svg += Self.legend([("median", "Median"), ("p90", "p90")], x: left, y: 14, note: "business time")
        return svg + "</svg>\n"
    }

    /// A tick step and the axis top (a multiple of it, at least `highest`) with at most 5 steps
    /// of a round duration.
    static func timeAxis(_ highest: Int) -> (step: Int, ceiling: Int) {
        let steps = [
            60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 432_000, 864_000,
            1_728_000, 4_320_000, 8_640_000,
        ]
        let value = max(1, highest)
        let step = steps.first { (value + $0 - 1) / $0 <= 5 } ?? ((value + 4) / 5)
        return (step, max(step, (value + step - 1) / step * step))
    }

    static func svgOpen(width: Double, height: Double, label: String) -> String {
        "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" "
            + "aria-label=\"\(ReportText.html(label))\">\n<title>\(ReportText.html(label))</title>\n"
    }

    /// A centred label, shortened to `limit` characters (the full text as its tooltip).
    static func svgLabel(_ text: String, x: Double, y: Double, limit: Int) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"middle\"><title>\(ReportText.html(text))</title>"
            + "\(ReportText.html(ReportText.shortened(text, to: limit)))</text>\n"
    }

    /// Colour swatches with their names, then a muted note (after a dashed target swatch when `targetLine`).
    static func legend(
        _ entries: [(style: String, name: String)], x: Double, y: Double, note: String, targetLine: Bool = false
    ) -> String {
        var out = ""
        var cursor = x
        for entry in entries {
            out += "<rect class=\"\(entry.style)\" x=\"\(n(cursor))\" y=\"\(n(y - 9))\" width=\"10\" height=\"10\"/>"
            out += "<text x=\"\(n(cursor + 14))\" y=\"\(n(y))\">\(ReportText.html(entry.name))</text>\n"
            cursor += 24 + Double(entry.name.count) * 7
        }
        if targetLine {
            out += "<line class=\"target\" x1=\"\(n(cursor))\" y1=\"\(n(y - 4))\" x2=\"\(n(cursor + 22))\" y2=\"\(n(y - 4))\"/>"
            cursor += 28
        }
        return out + "<text class=\"muted\" x=\"\(n(cursor))\" y=\"\(n(y))\">\(ReportText.html(note))</text>\n"
    }
}

/// A coordinate with at most one decimal: `12`, `12.5`.
private func n(_ value: Double) -> String {
    let text = ReportText.fixed(value, digits: 1)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}
