import Foundation
import TriageCore

extension DashboardPage {
    /// Times and spans as the page writes them: no locale, wall-clock times in one zone.
    struct Format {
        let zone: ZoneRules
        let now: Date
        let today: LocalDate

        init(zone: ZoneRules, now: Date) {
            self.zone = zone
            self.now = now
            self.today = zone.date(at: now)
        }

        /// `14:05` on the day of rendering, `2026-11-04 09:00` on any other day.
        func clock(_ date: Date) -> String {
            let local = zone.local(date)
            let hhmm = Self.two(local.hour) + ":" + Self.two(local.minute)
            return local.date == today ? hhmm : "\(local.date) \(hhmm)"
        }

        /// `date` as a `<time>` showing ``clock(_:)``, with the UTC instant on hover.
        func time(_ date: Date) -> String {
            let utc = utcStamp(date)
            return "<time datetime=\"\(utc)\" title=\"\(utc)\">\(clock(date))</time>"
        }

        /// `2026-11-03T14:05:07Z`.
        func utcStamp(_ date: Date) -> String { "\(ZoneRules.utc.local(date))Z" }

        /// Seconds (sign ignored) as `2d 03h`, `1h 05m`, `42m`; under a minute `<1m`, or `37s`
        /// and `3m 20s` with `seconds`.
        static func span(_ value: Int, seconds: Bool = false) -> String {
            let s = value.magnitude
            if s >= 86_400 { return "\(s / 86_400)d \(two(Int(s % 86_400 / 3600)))h" }
            if s >= 3600 { return "\(s / 3600)h \(two(Int(s % 3600 / 60)))m" }
            if seconds { return s >= 60 ? "\(s / 60)m \(two(Int(s % 60)))s" : "\(s)s" }
            return s >= 60 ? "\(s / 60)m" : "<1m"
        }

        static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    }

    static func queueSection(_ queue: DashboardSnapshot.QueueFigures, _ format: Format) -> String {
        let oldest = queue.oldestQueuedAt.map {
            Format.span(max(0, Int(format.now.timeIntervalSince($0).rounded(.down))), seconds: true)
        }
        func tile(_ value: String, _ label: String, bad: Bool = false) -> String {
            "<div class=\"tile\(bad ? " bad" : "")\"><div class=\"n\">\(escape(value))</div><div class=\"l\">\(label)</div></div>\n"
        }
        var html = "<section id=\"queue\">\n<h2>Queue</h2>\n<div class=\"tiles\">\n"
        html += tile("\(queue.queued)", "queued for triage")
        html += tile(oldest ?? "–", "age of the oldest queued")
        html += tile("\(queue.leased)", "leased by workers")
        html += tile("\(queue.outboxPending)", "outbox pending")
        html += tile("\(queue.deadLetters)", "dead letters", bad: queue.deadLetters > 0)
        return html + "</div>\n</section>\n"
    }

    static func atRiskSection(_ rows: [DashboardSnapshot.AtRiskRow], within: Duration, _ format: Format) -> String {
        let horizon = escape(DurationText.format(within))
        var html = "<section id=\"at-risk\">\n<h2>At risk of SLA breach <span class=\"count\">"
        html += "(\(rows.count), breached or due within \(horizon))</span></h2>\n"
        guard !rows.isEmpty else { return html + "<p class=\"empty\">nothing at risk within \(horizon)</p>\n</section>\n" }
        let ordered = rows.enumerated().sorted {
            ($0.element.businessSecondsLeft, $0.element.due, $0.offset)
                < ($1.element.businessSecondsLeft, $1.element.due, $1.offset)
        }.map(\.element)
        html += "<table>\n<colgroup><col style=\"width:15em\"><col><col style=\"width:7.5em\"><col style=\"width:3.2em\">"
        html += "<col style=\"width:8.5em\"><col style=\"width:10.5em\"></colgroup>\n"
        html += "<tr><th>business time</th><th>incident</th><th>vendor</th><th>prio</th><th>target</th><th>due</th></tr>\n"
        for row in ordered {
            let span = Format.span(row.businessSecondsLeft)
            let left =
                if row.breached || row.businessSecondsLeft < 0 {
                    "<span class=\"bad\">breached, \(escape(span)) over</span>"
                } else if row.businessSecondsLeft < 15 * 60 {
                    "<span class=\"warn\">\(escape(span)) left</span>"
                } else {
                    "\(escape(span)) left"
                }
            html += "<tr\(row.breached || row.businessSecondsLeft < 0 ? " class=\"breached\"" : "")><td>\(left)</td>"
            html += "<td>\(incidentLink(row.incidentID, title: row.title))</td><td>\(escape(row.vendor))</td>"
            html += "<td>\(priority(row.priority))</td><td>\(escape(row.target))</td><td>\(format.time(row.due))</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    static func vendorSection(_ rows: [DashboardSnapshot.VendorLoadRow]) -> String {
        var html = "<section id=\"vendors\">\n<h2>Vendor load <span class=\"count\">(open / capacity)</span></h2>\n"
        guard !rows.isEmpty else { return html + "<p class=\"empty\">no vendors configured</p>\n</section>\n" }
        html += "<div class=\"load\">\n"
        for row in rows {
            html += "<div title=\"\(escape(row.vendor))\" style=\"overflow:hidden;text-overflow:ellipsis;white-space:nowrap\">"
            html += "\(escape(row.vendor))</div>"
            if let capacity = row.capacity, capacity > 0 {
                let percent = min(100, max(0, row.open * 100 / capacity))
                let level = row.open >= capacity ? " class=\"full\"" : percent >= 80 ? " class=\"high\"" : ""
                html += "<div class=\"bar\"><span\(level) style=\"width:\(percent)%\"></span></div>"
                html += "<div class=\"num\(row.open >= capacity ? " bad" : "")\">\(row.open) / \(capacity)</div>\n"
            } else if let capacity = row.capacity {
                html += "<div class=\"bar\"></div><div class=\"num bad\">\(row.open) / \(capacity)</div>\n"
            } else {
                html += "<div class=\"bar none\"></div><div class=\"num\">\(row.open) · no limit</div>\n"
            }
        }
        return html + "</div>\n</section>\n"
    }

    static func decisionSection(_ rows: [DashboardSnapshot.DecisionRow], _ format: Format) -> String {
        var html = "<section id=\"decisions\">\n<h2>Recent decisions <span class=\"count\">(\(rows.count))</span></h2>\n"
        guard !rows.isEmpty else { return html + "<p class=\"empty\">no decisions yet</p>\n</section>\n" }
        let ordered = rows.enumerated().sorted {
            ($1.element.decidedAt, $0.offset) < ($0.element.decidedAt, $1.offset)
        }.map(\.element)
        html += "<table>\n<colgroup><col style=\"width:7em\"><col style=\"width:16em\"><col style=\"width:26%\">"
        html += "<col style=\"width:3.2em\"><col style=\"width:8em\"><col></colgroup>\n"
        html += "<tr><th>time</th><th>incident</th><th>title</th><th>prio</th><th>vendor</th><th>reason</th></tr>\n"
        for row in ordered {
            let vendor = row.abstained ? "<span class=\"tag\">abstained</span>" : row.vendor.map(escape) ?? "–"
            let reason = shortened(row.reason, to: 140)
            html += "<tr><td>\(format.time(row.decidedAt))</td>"
            html += "<td class=\"id\"><a href=\"/api/incidents/\(pathSegment(row.incidentID))\">\(escape(row.incidentID))</a></td>"
            html += "<td title=\"\(escape(row.title))\">\(escape(shortened(row.title, to: 80)))</td>"
            html += "<td>\(priority(row.priority))</td><td>\(vendor)</td>"
            html += "<td title=\"\(escape(row.reason))\">\(escape(reason))</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    static func deadLetterSection(_ rows: [DashboardSnapshot.DeadLetterRow], total: Int) -> String {
        let count = rows.count < total ? "\(rows.count) most recent of \(total)" : "\(rows.count)"
        var html = "<section id=\"dead-letters\">\n<h2>Dead letters <span class=\"count\">(\(count))</span></h2>\n"
        guard !rows.isEmpty else { return html + "<p class=\"empty\">no dead letters</p>\n</section>\n" }
        html += "<p class=\"note\">Under each message, the admin API calls that retry or drop it; they take "
        html += "<code>Authorization: Bearer $TRIAGE_ADMIN_TOKEN</code>.</p>\n"
        html += "<table>\n<colgroup><col style=\"width:19em\"><col style=\"width:8em\"><col style=\"width:13em\"><col>"
        html += "<col style=\"width:5.5em\"></colgroup>\n"
        html += "<tr><th>message</th><th>vendor</th><th>target</th><th>reason</th><th class=\"num\">attempts</th></tr>\n"
        for row in rows {
            let path = "/api/outbox/\(escape(pathSegment(row.messageID)))"
            html += "<tr class=\"dead\"><td class=\"id wrap\" title=\"incident \(escape(row.incidentID))\">"
            html += "\(escape(row.messageID))</td><td>\(escape(row.vendor))</td><td>\(escape(targetName(row.target)))</td>"
            html += "<td class=\"wrap\">\(escape(shortened(row.reason, to: 200)))</td><td class=\"num\">\(row.attempts)</td></tr>\n"
            html += "<tr class=\"calls\"><td colspan=\"5\"><code>POST \(path)/retry</code> or "
            html += "<code>POST \(path)/drop</code> with <code>{\"reason\": \"…\"}</code></td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    /// The incident's title (shortened, escaped) linking to its API record.
    static func incidentLink(_ id: String, title: String) -> String {
        let shown = title.isEmpty ? id : shortened(title, to: 70)
        return "<a href=\"/api/incidents/\(pathSegment(id))\" title=\"\(escape(id)): \(escape(title))\">\(escape(shown))</a>"
    }

    /// `P1` as a badge; P1 and P2 stand out.
    static func priority(_ text: String) -> String {
        let known = ["P1", "P2", "P3", "P4", "P5"].contains(text)
        return "<span class=\"prio\(known ? " \(text)" : "")\">\(escape(text))</span>"
    }
}
