import FoundationEssentials

extension SLAReport {
    /// A self-contained HTML page for people who buy the service: the period in the title, a
    /// summary per vendor, two inline SVG charts (attainment per vendor with a line at
    /// `attainmentTarget`; median and p90 business time to resolve per vendor and priority), the
    /// full table and how the figures are counted. No script, no stylesheet or image to fetch;
    /// every text from the records (vendor names) is escaped.
    ///
    /// - Parameter attainmentTarget: the contractual attainment, 0…1 (default 95 %), drawn as a
    ///   line on the attainment chart; summary figures below it are marked.
    public func html(attainmentTarget: Double = 0.95) -> String {
        let target = min(1, max(0, attainmentTarget.isFinite ? attainmentTarget : 0.95))
        let period = ReportText.html(ReportText.period(from: from, to: to))
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>SLA report \(period)</title>
            <style>\(Self.pageStyle)</style>
            </head>
            <body>
            <h1>SLA report <span class="period">\(period)</span></h1>
            <p class="lede">\(total.incidents) incident\(total.incidents == 1 ? "" : "s") across \(vendors.count) \
            vendor\(vendors.count == 1 ? "" : "s"). Attainment target: \(ReportText.shortPercent(target)).</p>

            """
        page += "<h2>Summary by vendor</h2>\n<div class=\"cards\">\n"
        for section in vendors { page += summaryCard(section.total, title: section.vendor, target: target) }
        if vendors.count != 1 { page += summaryCard(total, title: "All vendors", target: target) }
        page += "</div>\n"
        page += "<h2>Attainment by vendor</h2>\n" + attainmentChart(target: target)
        page += "<h2>Time to resolve by vendor and priority</h2>\n" + resolveTimeChart()
        page += "<h2>All figures</h2>\n" + htmlTable()
        page += """
            <h2>How the figures are counted</h2>
            <ul class="notes">
            <li>Clocks started in the period. <em>Met</em> and <em>breached</em> count the targets with a verdict; \
            attainment is met ÷ (met + breached). Clocks still running and not yet due count as incidents only.</li>
            <li>Times to target are taken over the clocks that stopped (acknowledged or resolved, in time or late). \
            Business time excludes the hours outside the vendor's calendar and pauses; wall time is elapsed time.</li>
            <li>Median and p90 are nearest-rank: with <i>n</i> times sorted, the value at rank ⌈0.5·<i>n</i>⌉ and \
            ⌈0.9·<i>n</i>⌉.</li>
            <li>An incident reassigned to another vendor counts under each vendor that held it and once in the \
            overall total; reassignments and reopenings count once per incident; cost is each vendor's price, once \
            per incident it handled.</li>
            </ul>
            </body>
            </html>

            """
        return page
    }

    /// One vendor's (or everyone's) headline figures.
    func summaryCard(_ row: Row, title: String, target: Double) -> String {
        func attainment(_ figures: TargetFigures) -> String {
            guard let value = figures.attainment else {
                return "<span class=\"na\">\(figures.running > 0 ? "no verdict yet" : "n/a")</span>"
            }
            let mark = value + 1e-9 >= target ? "ok" : "below"
            var text = "<strong class=\"\(mark)\">\(ReportText.percent(value))</strong> "
            text += "(\(figures.met) of \(figures.total)"
            text += figures.breaches > 0 ? ", \(figures.breaches) breach\(figures.breaches == 1 ? "" : "es"))" : ")"
            return text
        }
        func times(_ quantiles: Quantiles?) -> String {
            guard let quantiles else { return "<span class=\"na\">n/a</span>" }
            return "\(ReportText.duration(quantiles.median)) median, \(ReportText.duration(quantiles.p90)) p90"
        }
        let running = row.acknowledge.running + row.resolve.running
        let pending = running > 0 ? " (\(running) clock\(running == 1 ? "" : "s") without a verdict yet)" : ""
        return """
            <section class="card">
            <h3>\(ReportText.html(title))</h3>
            <dl>
            <dt>Incidents</dt><dd>\(row.incidents)\(pending)</dd>
            <dt>Acknowledged in time</dt><dd>\(attainment(row.acknowledge))</dd>
            <dt>Resolved in time</dt><dd>\(attainment(row.resolve))</dd>
            <dt>Time to acknowledge</dt><dd>\(times(row.acknowledge.business))</dd>
            <dt>Time to resolve</dt><dd>\(times(row.resolve.business))</dd>
            <dt>Reassignments</dt><dd>\(row.reassignments)</dd>
            <dt>Reopen rate</dt><dd>\(ReportText.percent(row.reopenRate, missing: "n/a"))</dd>
            <dt>Escalations</dt><dd>\(row.escalations)</dd>
            <dt>Cost</dt><dd>\(ReportText.money(row.cost, missing: "unknown"))</dd>
            </dl>
            </section>

            """
    }

    /// Every row as an HTML table, totals in bold.
    func htmlTable() -> String {
        let targetColumns = [
            "Met", "With verdict", "Attainment", "Breaches", "Running", "Median", "p90", "Median (wall)", "p90 (wall)",
        ]
        var out = "<div class=\"scroll\"><table>\n<thead>\n<tr><th rowspan=\"2\">Vendor</th><th rowspan=\"2\">Priority</th>"
        out += "<th rowspan=\"2\">Incidents</th><th colspan=\"\(targetColumns.count)\">Acknowledge</th>"
        out += "<th colspan=\"\(targetColumns.count)\">Resolve</th><th rowspan=\"2\">Reassignments</th>"
        out += "<th rowspan=\"2\">Reopen rate</th><th rowspan=\"2\">Escalations</th><th rowspan=\"2\">Cost</th></tr>\n<tr>"
        out += (targetColumns + targetColumns).map { "<th>\($0)</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
        for row in rows {
            func target(_ figures: TargetFigures) -> [String] {
                [String(figures.met), String(figures.total), ReportText.percent(figures.attainment, missing: "n/a"),
                 String(figures.breaches), String(figures.running)]
                    + [figures.business?.median, figures.business?.p90, figures.wall?.median, figures.wall?.p90]
                    .map { ReportText.duration($0, missing: "n/a") }
            }
            let cells = [String(row.incidents)] + target(row.acknowledge) + target(row.resolve)
                + [String(row.reassignments), ReportText.percent(row.reopenRate, missing: "n/a"), String(row.escalations),
                   ReportText.money(row.cost, missing: "n/a")]
            out += row.priority == nil ? "<tr class=\"total\">" : "<tr>"
            out += "<th scope=\"row\">\(ReportText.html(row.vendor ?? Self.allVendorsLabel))</th>"
            out += "<td class=\"text\">\(row.priority?.rawValue ?? Self.allPrioritiesLabel)</td>"
            out += cells.map { "<td>\(ReportText.html($0))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    static let pageStyle = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:2rem auto;max-width:80rem;\
        padding:0 1rem;line-height:1.4}h1{font-size:1.6rem;margin-bottom:.2rem}h1 .period{font-weight:400;color:#57606a}\
        h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}.lede{color:#57606a}\
        .cards{display:flex;flex-wrap:wrap;gap:1rem}.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;\
        min-width:17rem;flex:1 1 17rem}.card h3{margin:.2rem 0 .5rem;font-size:1.05rem;overflow-wrap:anywhere}\
        dl{display:grid;grid-template-columns:auto 1fr;gap:.15rem .8rem;margin:0}dt{color:#57606a}dd{margin:0}\
        .ok{color:#1a7f37}.below{color:#cf222e}.na{color:#8c959f}.scroll{overflow-x:auto}\
        table{border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums}\
        th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:right;white-space:nowrap}\
        thead th{background:#f6f8fa;text-align:center}tbody th{text-align:left;font-weight:400}td.text{text-align:left}\
        tr.total th,tr.total td{font-weight:600;background:#f6f8fa}.notes{color:#57606a;font-size:.9rem}\
        svg{max-width:100%;height:auto;font-size:12px}svg text{fill:#1f2328}svg .axis{stroke:#8c959f}\
        svg .grid{stroke:#eaeef2}svg .target{stroke:#cf222e;stroke-dasharray:6 4;stroke-width:1.5}\
        svg .ack{fill:#4e79a7}svg .res{fill:#f28e2b}svg .median{fill:#59a14f}svg .p90{fill:#9c755f}\
        svg text.muted{fill:#57606a}
        """
}
