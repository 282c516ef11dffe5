import Foundation
import Testing
import TriageCore
import TriageEngine

@testable import TriageHTTP

/// The dashboard page: every section with rows and empty, escaping of what senders write, the
/// breach marks, and byte-for-byte determinism. With `TRIAGE_DASHBOARD_SAMPLE=/path.html` the
/// sample page is also written there (`scripts/render-dashboard.sh` screenshots it).
struct DashboardPageTests {
    static let now = RFC3339.parse("2026-11-03T14:05:07Z")!
    static let hostile = "<script>alert(1)</script>"

    static func at(_ seconds: Int) -> Date { now.addingTimeInterval(TimeInterval(seconds)) }

    /// A busy afternoon: two breaches, vendors near and at capacity, an abstention, a hostile title.
    static func sample() -> DashboardSnapshot {
        typealias Risk = DashboardSnapshot.AtRiskRow
        typealias Choice = DashboardSnapshot.DecisionRow
        let risks = [
            Risk(incidentID: "01JC8X6Q4R2M9T5V7W3Y0Z1A2B", title: "Checkout latency p99 above 2 s on eu-west",
                vendor: "acme-ops", priority: "P2", target: "resolve", due: at(3900), businessSecondsLeft: 3900,
                breached: false),
            Risk(incidentID: "01JC8X7A1B2C3D4E5F6G7H8J9K", title: "Primary database replication lag",
                vendor: "dba-partners", priority: "P1", target: "acknowledge", due: at(-900),
                businessSecondsLeft: -900, breached: true),
            Risk(incidentID: "01JC8X7Z9Y8X7W6V5T4S3R2Q1P", title: hostile, vendor: "netcare", priority: "P3",
                target: "acknowledge", due: at(540), businessSecondsLeft: 540, breached: false),
            Risk(incidentID: "01JC8X80000000000000000001", title: "Disk 95% full on log-archive-03", vendor: "acme-ops",
                priority: "P3", target: "resolve", due: at(86_400 + 7200), businessSecondsLeft: 1500, breached: false),
            Risk(incidentID: "01JC8X80000000000000000002", title: "VPN tunnel to Lyon flapping", vendor: "netcare",
                priority: "P2", target: "resolve", due: at(-5400), businessSecondsLeft: -4000, breached: true),
        ]
        let load = [
            DashboardSnapshot.VendorLoadRow(vendor: "acme-ops", open: 12, capacity: 40),
            DashboardSnapshot.VendorLoadRow(vendor: "dba-partners", open: 9, capacity: 10),
            DashboardSnapshot.VendorLoadRow(vendor: "netcare", open: 25, capacity: 25),
            DashboardSnapshot.VendorLoadRow(vendor: "in-house", open: 3, capacity: nil),
        ]
        var decisions = [
            Choice(decidedAt: at(-40), incidentID: "01JC8X7Z9Y8X7W6V5T4S3R2Q1P", title: hostile, priority: "P3",
                vendor: "netcare", reason: "assigned to netcare: lowest load among 2 eligible vendors", abstained: false),
            Choice(decidedAt: at(-95), incidentID: "01JC8X80000000000000000003", title: "Unknown alert from edge-17",
                priority: "P3", vendor: nil, reason: "classifier abstained: confidence 0.41 below 0.60", abstained: true),
            Choice(decidedAt: at(-300), incidentID: "01JC8X6Q4R2M9T5V7W3Y0Z1A2B",
                title: "Checkout latency p99 above 2 s on eu-west", priority: "P2", vendor: "acme-ops",
                reason: "rule 'payments-latency' routes service=checkout to acme-ops", abstained: false),
        ]
        for n in 0..<7 {
            decisions.append(
                Choice(decidedAt: at(-600 - 420 * n), incidentID: "01JC8X8000000000000000010\(n)",
                    title: "Certificate for api-\(n).example.net expires in \(n + 3) days, renew before the freeze window",
                    priority: "P\(n % 3 + 3)", vendor: n % 2 == 0 ? "acme-ops" : "in-house",
                    reason: "rule 'certificates' sets P\(n % 3 + 3); assigned to the vendor with the best attainment (97.5%) "
                        + "among 3 eligible vendors, capacity 12 / 40", abstained: false))
        }
        let dead = [
            DashboardSnapshot.DeadLetterRow(messageID: "msg-01JC8X7A1B2C3D4E5F6G7H8J9K-1",
                incidentID: "01JC8X7A1B2C3D4E5F6G7H8J9K", vendor: "dba-partners", target: "dba-partners",
                reason: "not retryable: auth: HTTP 401", attempts: 1),
            DashboardSnapshot.DeadLetterRow(messageID: "msg-01JC8X80000000000000000002-2",
                incidentID: "01JC8X80000000000000000002", vendor: "netcare",
                target: "https://user:s3cret@hooks.netcare.example/v1/tickets?key=abc",
                reason: "gave up after 8 attempts; last: serverError: HTTP 503", attempts: 8),
        ]
        return DashboardSnapshot(
            renderedAt: now, instance: "triage-a-4242", configVersion: 7,
            queue: .init(queued: 14, oldestQueuedAt: at(-200), leased: 3, outboxPending: 5, deadLetters: 6),
            atRisk: risks, vendorLoad: load, decisions: decisions, deadLetters: dead)
    }

    static func empty() -> DashboardSnapshot {
        DashboardSnapshot(
            renderedAt: now, instance: "solo", configVersion: 1,
            queue: .init(queued: 0, oldestQueuedAt: nil, leased: 0, outboxPending: 0, deadLetters: 0),
            atRisk: [], vendorLoad: [], decisions: [], deadLetters: [])
    }

    @Test func everySectionShowsItsRows() {
        let page = DashboardPage.render(Self.sample())
        for heading in ["<h2>Queue</h2>", "<h2>At risk of SLA breach", "<h2>Vendor load", "<h2>Recent decisions",
            "<h2>Dead letters"]
        {
            #expect(page.contains(heading), "missing \(heading)")
        }
        #expect(page.contains("<span>instance <b>triage-a-4242</b></span>"))
        #expect(page.contains(">2026-11-03T14:05:07Z</time>"))
        #expect(page.contains("config <b>v7</b>"))
        #expect(page.contains("<div class=\"n\">14</div><div class=\"l\">queued for triage</div>"))
        #expect(page.contains("<div class=\"n\">3m 20s</div><div class=\"l\">age of the oldest queued</div>"))
        #expect(page.contains("<div class=\"tile bad\"><div class=\"n\">6</div>"))
        #expect(page.contains("<td>1h 05m left</td>"))
        #expect(page.contains(">Checkout latency p99 above 2 s on eu-west</a>"))
        #expect(page.contains("style=\"width:30%\"></span></div><div class=\"num\">12 / 40</div>"))
        #expect(page.contains("<div class=\"num bad\">25 / 25</div>"))
        #expect(page.contains("3 · no limit"))
        #expect(page.contains("<a href=\"/api/incidents/01JC8X6Q4R2M9T5V7W3Y0Z1A2B\">01JC8X6Q4R2M9T5V7W3Y0Z1A2B</a>"))
        #expect(page.contains("rule &#39;payments-latency&#39; routes service=checkout to acme-ops"))
        #expect(page.contains("<code>POST /api/outbox/msg-01JC8X7A1B2C3D4E5F6G7H8J9K-1/retry</code> or "))
        #expect(page.contains("<code>POST /api/outbox/msg-01JC8X7A1B2C3D4E5F6G7H8J9K-1/drop</code> with "))
        #expect(page.contains("(2 most recent of 6)"))
        #expect(page.contains("<td class=\"wrap\">not retryable: auth: HTTP 401</td><td class=\"num\">1</td>"))
    }

    @Test func emptySectionsSaySo() {
        let page = DashboardPage.render(Self.empty())
        #expect(page.contains("nothing at risk within 30m"))
        #expect(page.contains("no vendors configured"))
        #expect(page.contains("no decisions yet"))
        #expect(page.contains("no dead letters"))
        #expect(page.contains("<div class=\"n\">–</div><div class=\"l\">age of the oldest queued</div>"))
        #expect(!page.contains("<table>"))
        #expect(!page.contains("tile bad"))
    }

    @Test func whatSendersWriteIsEscaped() {
        var snapshot = Self.sample()
        snapshot.instance = "a\"<b>"
        snapshot.vendorLoad[0].vendor = "<img src=x onerror=alert(2)>"
        snapshot.deadLetters[0].reason = "</td><script>bad()</script>"
        snapshot.decisions[0].reason = "\"><script>x()</script>"
        let page = DashboardPage.render(snapshot)
        #expect(!page.contains(Self.hostile))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<img"))
        #expect(page.contains("<b>a&quot;&lt;b&gt;</b>"))
        #expect(!page.contains("<script>bad()") && !page.contains("<script>x()"))
        // The page's own auto-refresh script is the only one.
        #expect(page.components(separatedBy: "<script").count == 2)
    }

    @Test func urlsAndCredentialsNeverReachThePage() {
        let page = DashboardPage.render(Self.sample())
        #expect(page.contains("<td>hooks.netcare.example</td>"))
        #expect(!page.contains("s3cret") && !page.contains("key=abc") && !page.contains("/v1/tickets"))
    }

    @Test func breachedRowsAreMarkedAndMostUrgentComeFirst() throws {
        let page = DashboardPage.render(Self.sample())
        #expect(page.contains("<tr class=\"breached\"><td><span class=\"bad\">breached, 1h 06m over</span></td>"))
        #expect(page.contains("<tr class=\"breached\"><td><span class=\"bad\">breached, 15m over</span></td>"))
        #expect(page.contains("<span class=\"warn\">9m left</span>"))
        let order = ["breached, 1h 06m over", "breached, 15m over", "9m left", "25m left", "1h 05m left"]
        let positions = try order.map { try #require(page.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
        // Not breached rows are not marked.
        #expect(page.components(separatedBy: "class=\"breached\"").count == 3)
    }

    @Test func abstentionsAreMarkedAndDecisionsNewestFirst() throws {
        let page = DashboardPage.render(Self.sample())
        #expect(page.contains("<td><span class=\"tag\">abstained</span></td>"))
        let newest = try #require(page.range(of: "lowest load among 2 eligible vendors")).lowerBound
        let older = try #require(page.range(of: "classifier abstained")).lowerBound
        #expect(newest < older)
    }

    @Test func sameSnapshotSameBytes() throws {
        let snapshot = Self.sample()
        let first = DashboardPage.render(snapshot)
        #expect(DashboardPage.render(snapshot) == first)
        var shuffled = snapshot
        shuffled.atRisk.reverse()
        shuffled.decisions.reverse()
        #expect(DashboardPage.render(shuffled) == first)
        let paris = try ZoneRules(posixTZ: "CET-1CEST,M3.5.0,M10.5.0/3", identifier: "Europe/Paris")
        let local = DashboardPage.render(snapshot, zone: paris)
        #expect(local != first)
        #expect(local.contains("times in Europe/Paris"))
        #expect(local.contains("(15:05 Europe/Paris)"))
        #expect(first.contains("title=\"2026-11-04T16:05:07Z\">2026-11-04 16:05</time>"))
    }

    @Test(arguments: [
        (3900, false, "1h 05m"), (-900, false, "15m"), (59, false, "<1m"), (0, false, "<1m"),
        (90_000, false, "1d 01h"), (200, true, "3m 20s"), (7, true, "7s"), (7260, true, "2h 01m"),
    ])
    func spans(_ seconds: Int, _ withSeconds: Bool, _ expected: String) {
        #expect(DashboardPage.Format.span(seconds, seconds: withSeconds) == expected)
    }

    @Test func targetNamesDropURLParts() {
        #expect(DashboardPage.targetName("acme-ops") == "acme-ops")
        #expect(DashboardPage.targetName("https://u:p@h.example:8443/x?y#z") == "h.example:8443")
        #expect(DashboardPage.pathSegment("a b/<c>") == "a%20b%2F%3Cc%3E")
    }

    @Test func rowsFromEngineValues() throws {
        let id = try #require(IncidentID("01JC8X6Q4R2M9T5V7W3Y0Z1A2B"))
        let decision = Decision(
            incidentID: id, decidedAt: Self.now, category: nil, priority: .p2, vendor: nil, abstained: true,
            matchedRules: [], sla: nil, explanation: ["rule 'x' matched", "classifier abstained: 0.41 < 0.60"])
        let row = DashboardSnapshot.DecisionRow(decision, title: "t")
        #expect(row.reason == "classifier abstained: 0.41 < 0.60")
        #expect(row.incidentID == "01JC8X6Q4R2M9T5V7W3Y0Z1A2B" && row.priority == "P2" && row.abstained)
        let figures = DashboardSnapshot.QueueFigures(
            QueueStats(queued: 4, leased: 1, oldestQueuedAt: Self.at(-61), outboxPending: 2, outboxDead: 3))
        #expect(figures == .init(queued: 4, oldestQueuedAt: Self.at(-61), leased: 1, outboxPending: 2, deadLetters: 3))
    }

    /// Writes the sample page where `TRIAGE_DASHBOARD_SAMPLE` says, for the headless render.
    @Test func samplePage() throws {
        let page = DashboardPage.render(Self.sample())
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        // Self-contained: nothing to fetch, no stylesheet or script from elsewhere.
        #expect(!page.contains("://") && !page.contains(" src=") && !page.contains("<link"))
        guard let path = ProcessInfo.processInfo.environment["TRIAGE_DASHBOARD_SAMPLE"], !path.isEmpty else { return }
        try Data(page.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == page)
    }
}
