import FoundationEssentials

extension SLAReport {
    /// Label of the overall total in the table and the HTML page.
    static let allVendorsLabel = "all vendors"
    /// Label of the priority column in total rows.
    static let allPrioritiesLabel = "all"

    /// A fixed-width table for a terminal: a title line, a header, one line per row (a blank line
    /// after each vendor's total), then a legend. `MET` is met/with a verdict, `%` the attainment,
    /// `BR` the breaches, `P50/P90` the median/p90 business time to target (`WALL`: wall clock).
    public func table() -> String {
        let header = [
            "VENDOR", "PRI", "INC",
            "ACK MET", "ACK %", "ACK BR", "ACK P50/P90", "ACK WALL P50/P90",
            "RES MET", "RES %", "RES BR", "RES P50/P90", "RES WALL P50/P90",
            "REASSIGN", "REOPEN", "ESC", "COST",
        ]
        let leftAligned: Set<Int> = [0, 1]
        var lines: [[String]?] = [header]
        for section in vendors {
            lines += section.priorities.map { tableCells($0) }
            lines.append(tableCells(section.total))
            lines.append(nil)
        }
        lines.append(tableCells(total))
        let widths = header.indices.map { column in lines.compactMap { $0?[column].count }.max() ?? 0 }
        var out = "SLA report \(ReportText.period(from: from, to: to))\n\n"
        for line in lines {
            guard let line else {
                out += "\n"
                continue
            }
            let cells = line.indices.map { ReportText.pad(line[$0], widths[$0], right: !leftAligned.contains($0)) }
            out += cells.joined(separator: "  ").trailingSpacesTrimmed + "\n"
        }
        out += "\nMET met/with a verdict; % attainment; BR breaches; P50/P90 median/p90 time to target (business time, "
        out += "WALL wall clock, nearest rank over stopped clocks); running clocks count in INC only.\n"
        return out
    }

    func tableCells(_ row: Row) -> [String] {
        func target(_ figures: TargetFigures) -> [String] {
            [
                "\(figures.met)/\(figures.total)", ReportText.percent(figures.attainment), String(figures.breaches),
                Self.quantilesText(figures.business), Self.quantilesText(figures.wall),
            ]
        }
        return [row.vendor ?? Self.allVendorsLabel, row.priority?.rawValue ?? Self.allPrioritiesLabel, String(row.incidents)]
            + target(row.acknowledge) + target(row.resolve)
            + [String(row.reassignments), ReportText.percent(row.reopenRate), String(row.escalations), ReportText.money(row.cost)]
    }

    static func quantilesText(_ quantiles: Quantiles?) -> String {
        guard let quantiles else { return "-" }
        return ReportText.duration(quantiles.median) + "/" + ReportText.duration(quantiles.p90)
    }

    /// The CSV columns, in order.
    public static let csvColumns: [String] = {
        let target = [
            "total", "met", "breaches", "running", "attainment_pct", "stopped",
            "median_business_seconds", "p90_business_seconds", "median_wall_seconds", "p90_wall_seconds",
        ]
        return ["scope", "vendor", "priority", "incidents"]
            + target.map { "acknowledge_" + $0 } + target.map { "resolve_" + $0 }
            + ["reassignments", "reopened", "reopen_rate_pct", "escalations", "cost"]
    }()

    /// RFC 4180 CSV (CRLF line ends, fields quoted when needed) with a header row, one line per
    /// row of ``rows``. `scope` is `priority` (a vendor's priority), `vendor` (a vendor's total) or
    /// `all` (the overall total, empty vendor). Durations in seconds, percentages with two
    /// decimals, cost with two decimals; an empty field is a figure that does not exist.
    public func csv() -> String {
        var lines = [Self.csvColumns.joined(separator: ",")]
        for row in rows {
            let scope = row.vendor == nil ? "all" : row.priority == nil ? "vendor" : "priority"
            var fields = [scope, row.vendor ?? "", row.priority?.rawValue ?? "", String(row.incidents)]
            for figures in [row.acknowledge, row.resolve] {
                fields += [
                    String(figures.total), String(figures.met), String(figures.breaches), String(figures.running),
                    figures.attainment.map { ReportText.fixed($0 * 100, digits: 2) } ?? "", String(figures.stopped),
                    figures.business.map { String($0.median) } ?? "", figures.business.map { String($0.p90) } ?? "",
                    figures.wall.map { String($0.median) } ?? "", figures.wall.map { String($0.p90) } ?? "",
                ]
            }
            fields += [
                String(row.reassignments), String(row.reopened),
                row.reopenRate.map { ReportText.fixed($0 * 100, digits: 2) } ?? "",
                String(row.escalations), row.cost.map { ReportText.fixed($0, digits: 2) } ?? "",
            ]
            lines.append(fields.map(ReportText.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Pretty-printed JSON with sorted keys: `from`, `to` (RFC 3339), `vendors` (each with
    /// `vendor`, `priorities` and `total`) and `total`. Every key is always present; a figure that
    /// does not exist is `null`. Percentages and cost are rounded to two decimals.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(JSONReport(self)) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension String {
    /// The string without its trailing spaces.
    fileprivate var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// The JSON shape of ``SLAReport`` (explicit keys, `null` written for missing figures).
private struct JSONReport: Encodable {
    let report: SLAReport

    init(_ report: SLAReport) { self.report = report }

    enum Keys: String, CodingKey { case from, to, vendors, total, vendor, priorities }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(RFC3339.format(report.from), forKey: .from)
        try container.encode(RFC3339.format(report.to), forKey: .to)
        var sections = container.nestedUnkeyedContainer(forKey: .vendors)
        for section in report.vendors {
            var nested = sections.nestedContainer(keyedBy: Keys.self)
            try nested.encode(section.vendor, forKey: .vendor)
            try nested.encode(section.priorities.map(JSONRow.init), forKey: .priorities)
            try nested.encode(JSONRow(section.total), forKey: .total)
        }
        try container.encode(JSONRow(report.total), forKey: .total)
    }
}

private struct JSONRow: Encodable {
    let row: SLAReport.Row

    init(_ row: SLAReport.Row) { self.row = row }

    enum Keys: String, CodingKey {
        case vendor, priority, incidents, acknowledge, resolve, reassignments, reopened, escalations, cost
        case reopenRatePercent = "reopen_rate_pct"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(row.vendor, forKey: .vendor)
        try container.encode(row.priority?.rawValue, forKey: .priority)
        try container.encode(row.incidents, forKey: .incidents)
        try container.encode(JSONTarget(row.acknowledge), forKey: .acknowledge)
        try container.encode(JSONTarget(row.resolve), forKey: .resolve)
        try container.encode(row.reassignments, forKey: .reassignments)
        try container.encode(row.reopened, forKey: .reopened)
        try container.encode(row.reopenRate.map { ReportText.rounded($0 * 100, digits: 2) }, forKey: .reopenRatePercent)
        try container.encode(row.escalations, forKey: .escalations)
        try container.encode(row.cost.map { ReportText.rounded($0, digits: 2) }, forKey: .cost)
    }
}

private struct JSONTarget: Encodable {
    let figures: SLAReport.TargetFigures

    init(_ figures: SLAReport.TargetFigures) { self.figures = figures }

    enum Keys: String, CodingKey {
        case total, met, breaches, running, stopped
        case attainmentPercent = "attainment_pct"
        case medianBusiness = "median_business_seconds", p90Business = "p90_business_seconds"
        case medianWall = "median_wall_seconds", p90Wall = "p90_wall_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(figures.total, forKey: .total)
        try container.encode(figures.met, forKey: .met)
        try container.encode(figures.breaches, forKey: .breaches)
        try container.encode(figures.running, forKey: .running)
        try container.encode(figures.stopped, forKey: .stopped)
        try container.encode(figures.attainment.map { ReportText.rounded($0 * 100, digits: 2) }, forKey: .attainmentPercent)
        try container.encode(figures.business?.median, forKey: .medianBusiness)
        try container.encode(figures.business?.p90, forKey: .p90Business)
        try container.encode(figures.wall?.median, forKey: .medianWall)
        try container.encode(figures.wall?.p90, forKey: .p90Wall)
    }
}
