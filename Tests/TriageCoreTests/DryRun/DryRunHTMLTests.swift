import Foundation
import Testing

@testable import TriageCore

/// The dry-run's HTML page: self-contained, escaped, with its optional sections and its row cap.
struct DryRunHTMLTests {
    static let hostileTitle = "<script>alert(\"x\")</script> & co"

    static func outcome(
        _ id: String, at: String, title: String = "Disk full on db-1", category: String? = "database",
        priority: String = "P2", vendor: String? = "acme-dba", suppressed: String? = nil, rules: [String] = ["db-to-acme"],
        label: String? = nil
    ) -> DryRun.Outcome {
        DryRun.Outcome(
            id: id, at: at, title: title, category: category, priority: priority, vendor: vendor,
            abstained: category == nil, suppressed: suppressed, matchedRules: rules,
            acknowledgeBy: vendor == nil ? nil : "2026-11-03T09:15:00.000Z",
            resolveBy: vendor == nil ? nil : "2026-11-03T16:00:00.000Z",
            escalations: vendor == nil ? [] : ["resolve 50% at 2026-11-03T12:30:00.000Z"], breaches: [],
            capacityOverflow: false, label: label,
            explanation: ["rule 'db-to-acme' matched: category database", "assigned to \(vendor ?? "none")"])
    }

    /// Four incidents: two to acme, one to the internal queue (abstained), one suppressed.
    static let base: [DryRun.Outcome] = [
        outcome("INC-1", at: "2026-11-03T08:00:00.000Z", label: "database"),
        outcome("INC-2", at: "2026-11-04T10:30:00.000Z", title: hostileTitle, priority: "P1", label: "network"),
        outcome("INC-3", at: "2026-11-02T07:45:00.000Z", category: nil, priority: "P3", vendor: nil, rules: [],
            label: "storage"),
        outcome("INC-4", at: "2026-11-05T18:20:00.000Z", vendor: nil, suppressed: "maintenance window",
            rules: ["db-to-acme", "mute-maintenance"]),
    ]

    static let rules = ["db-to-acme", "mute-maintenance", "never-<used>", "legacy-route"]

    static func summary(_ outcomes: [DryRun.Outcome] = base) -> DryRunSummary {
        DryRunSummary(outcomes: outcomes, rules: rules, labelField: .category)
    }

    @Test func pageIsSelfContainedAndEscapesHostileText() {
        let html = DryRun.html(Self.base, summary: Self.summary(), title: "Dry-run <rules v2>")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"))
        #expect(html.contains("<h1>Dry-run &lt;rules v2&gt; <span class=\"period\">"))
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test func headerShowsCountAndPeriodWithoutAClock() {
        let summary = Self.summary()
        let html = DryRun.html(Self.base, summary: summary)
        #expect(html.contains("2026-11-02 07:45 to 2026-11-05 18:20 (UTC)"))
        #expect(html.contains("4 incidents run through the rules"))
        #expect(html == DryRun.html(Self.base, summary: summary))  // pure: no clock, no randomness
    }

    @Test func keyFiguresAndLabels() {
        let html = DryRun.html(Self.base, summary: Self.summary())
        #expect(html.contains("<h3>Assigned to acme-dba</h3><p class=\"value\">2</p><p class=\"note\">50.0% of incidents</p>"))
        #expect(html.contains("<h3>Internal queue</h3><p class=\"value\">1</p>"))
        #expect(html.contains("<h3>Suppressed</h3><p class=\"value\">1</p>"))
        #expect(html.contains("<h3>Abstained</h3><p class=\"value\">1</p>"))
        // INC-1 right, INC-2 (network) and INC-3 (storage) wrong: 1 of 3.
        #expect(html.contains("<h3>Accuracy</h3><p class=\"value\">33.3%</p>"))
        #expect(html.contains("<h3>Macro-F1</h3>"))
        #expect(html.contains("Most frequent wrong answers"))
        #expect(html.contains("<td>network</td><td>database</td>"))
        #expect(html.contains("<th>Label (category)</th>"))

        let unlabelled = Self.base.map { outcome -> DryRun.Outcome in
            var copy = outcome
            copy.label = nil
            return copy
        }
        let plain = DryRun.html(unlabelled, summary: Self.summary(unlabelled))
        #expect(!plain.contains("Accuracy") && !plain.contains("Against the labels") && !plain.contains("Label ("))
    }

    @Test func chartsAndNeverFiredRules() {
        let html = DryRun.html(Self.base, summary: Self.summary())
        #expect(html.components(separatedBy: "<svg").count == 5)  // vendors, rules, priorities, escalations per vendor
        #expect(html.contains("<h2>SLA escalations and breaches per vendor</h2>"))
        #expect(html.contains("<p class=\"never\"><strong>never fired:</strong> <code>never-&lt;used&gt;</code>, <code>legacy-route</code>"))
        #expect(html.contains(">internal queue</text>"))
        #expect(html.contains(">db-to-acme</text>"))

        let everyRule = DryRunSummary(outcomes: Self.base, rules: ["db-to-acme"], labelField: .category)
        let fired = DryRun.html(Self.base, summary: everyRule)
        #expect(!fired.contains("never fired") && fired.contains("Every rule fired at least once."))
    }

    @Test func tableCellsSayWhereEachIncidentWent() {
        let html = DryRun.html(Self.base, summary: Self.summary())
        #expect(html.contains("<span class=\"tag abstained\">abstained</span>"))
        #expect(html.contains("<span class=\"tag queue\">internal queue</span>"))
        #expect(html.contains("<span class=\"tag suppressed\" title=\"maintenance window\">suppressed</span>"))
        #expect(html.contains("<li>rule &#39;db-to-acme&#39; matched: category database</li>"))
        #expect(html.contains("<li>resolve 50% at 2026-11-03T12:30:00.000Z</li>"))
        #expect(html.contains("<time datetime=\"2026-11-03T16:00:00.000Z\">2026-11-03 16:00</time>"))
        #expect(html.components(separatedBy: "<details>").count - 1 == 4)
        #expect(!html.contains("the JSON format has all"))
    }

    @Test func comparisonShowsCountsAndCapsIDs() {
        var other = Self.base
        other[0].vendor = "globex-infra"
        other[1].vendor = "globex-infra"
        other[1].priority = "P2"
        let comparison = DryRunComparison(base: Self.base, other: other)
        let html = DryRun.html(Self.base, summary: Self.summary(), comparison: comparison)
        #expect(html.contains("<h2>Compared with the other rule set</h2>"))
        #expect(html.contains("<strong>2</strong> of 4 incidents change (50.0%)"))
        #expect(html.contains(
            "<td class=\"text\">vendor acme-dba → globex-infra</td><td class=\"num\">2</td>"
                + "<td class=\"wrap ids\"><span>INC-1</span>, <span>INC-2</span></td>"))
        #expect(html.contains("priority P1 → P2</td><td class=\"num\">1</td>"))
        #expect(!DryRun.html(Self.base, summary: Self.summary()).contains("Compared with the other rule set"))

        let many = (1...25).map { Self.outcome("M-\($0)", at: "2026-11-03T08:00:00.000Z") }
        var moved = many
        for index in moved.indices { moved[index].vendor = "globex-infra" }
        let wide = DryRun.html(many, summary: Self.summary(many), comparison: DryRunComparison(base: many, other: moved))
        #expect(wide.contains("<span>M-20</span> <span class=\"na\">and 5 more</span>"))
        #expect(!wide.contains("<span>M-21</span>"))
    }

    @Test func rowsAreCappedAt2000() {
        let outcomes = (0..<2_005).map { index in
            Self.outcome("INC-\(index)", at: "2026-11-03T08:00:00.000Z", title: index == 0 ? Self.hostileTitle : "Disk full")
        }
        let html = DryRun.html(outcomes, summary: Self.summary(outcomes))
        #expect(html.contains("first 2,000 of 2,005 incidents; the JSON format has all"))
        #expect(html.components(separatedBy: "<details>").count - 1 == 2_000)
        #expect(html.contains("INC-1999<") && !html.contains("INC-2000<"))
        #expect(html.contains("2,005 incidents run through the rules"))
    }

    @Test func emptyRunStillRenders() {
        let html = DryRun.html([], summary: Self.summary([]))
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("no incidents"))
        #expect(!html.contains("<details>"))
    }

    @Test func countAxisAndGrouping() {
        #expect(DryRun.htmlCountAxis(0) == (1, 1))
        #expect(DryRun.htmlCountAxis(7) == (2, 8))
        #expect(DryRun.htmlCountAxis(230) == (50, 250))
        #expect(DryRun.htmlGrouped(1_234_567) == "1,234,567")
        #expect(DryRun.htmlGrouped(999) == "999")
    }
}
