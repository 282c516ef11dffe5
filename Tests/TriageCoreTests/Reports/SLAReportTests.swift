import Foundation
import Testing

@testable import TriageCore

/// SLA report figures on a hand-computed sample, and its four renderings.
struct SLAReportTests {
    static let from = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01T00:00:00Z
    static let to = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00:00Z

    /// One record; `met`/`stopped` say how the clock ended, times in seconds.
    static func record(
        _ incident: String, _ vendor: String, _ priority: Priority, _ target: SLATimer.Kind, met: Bool?, stopped: Bool,
        business: Int, wall: Int, escalations: Int = 0, reassignments: Int = 0, reopened: Bool = false, cost: Double? = nil
    ) -> SLARecord {
        let start = from.addingTimeInterval(86_400 + Double(Int(incident.dropFirst()) ?? 0) * 3600)
        return SLARecord(
            incidentID: incident, vendor: vendor, priority: priority, target: target, startedAt: start,
            dueAt: start.addingTimeInterval(3600), stoppedAt: stopped ? start.addingTimeInterval(Double(wall)) : nil, met: met,
            businessSeconds: business, wallSeconds: wall, escalations: escalations, reassignments: reassignments,
            reopened: reopened, cost: cost)
    }

    /// 15 records, 7 incidents, vendors acme and globex, P1 and P2:
    /// - I1 acme P1: both met. I2 acme P1: reopened, resolved late (2 escalations).
    /// - I3 acme P2: acknowledged, resolve still running (not yet due).
    /// - I4: acknowledged late by acme (1 escalation), reassigned before its resolve deadline
    ///   (acme's resolve clock ends without verdict), resolved in time by globex.
    /// - I5 globex P1: both met. I6 globex P1: reopened, acknowledged late, no known price.
    /// - I7 globex P2: acknowledged, resolve overdue and still running (2 escalations).
    static let sample: [SLARecord] = [
        record("I1", "acme", .p1, .acknowledge, met: true, stopped: true, business: 600, wall: 600, cost: 100),
        record("I1", "acme", .p1, .resolve, met: true, stopped: true, business: 7200, wall: 9000, cost: 100),
        record("I2", "acme", .p1, .acknowledge, met: true, stopped: true, business: 1200, wall: 1500, reopened: true, cost: 100),
        record("I2", "acme", .p1, .resolve, met: false, stopped: true, business: 20_000, wall: 30_000, escalations: 2,
            reopened: true, cost: 100),
        record("I3", "acme", .p2, .acknowledge, met: true, stopped: true, business: 900, wall: 900, cost: 50),
        record("I3", "acme", .p2, .resolve, met: nil, stopped: false, business: 3000, wall: 3000, cost: 50),
        record("I4", "acme", .p2, .acknowledge, met: false, stopped: true, business: 4000, wall: 4000, escalations: 1,
            reassignments: 1, cost: 50),
        record("I4", "acme", .p2, .resolve, met: nil, stopped: false, business: 5400, wall: 5400, reassignments: 1, cost: 50),
        record("I4", "globex", .p2, .resolve, met: true, stopped: true, business: 5000, wall: 8000, reassignments: 1, cost: 80),
        record("I5", "globex", .p1, .acknowledge, met: true, stopped: true, business: 300, wall: 300, cost: 200),
        record("I5", "globex", .p1, .resolve, met: true, stopped: true, business: 3600, wall: 3600, cost: 200),
        record("I6", "globex", .p1, .acknowledge, met: false, stopped: true, business: 2000, wall: 2500, escalations: 1,
            reopened: true),
        record("I6", "globex", .p1, .resolve, met: true, stopped: true, business: 6000, wall: 6500, reopened: true),
        record("I7", "globex", .p2, .acknowledge, met: true, stopped: true, business: 600, wall: 700, cost: 80),
        record("I7", "globex", .p2, .resolve, met: false, stopped: false, business: 9000, wall: 9000, escalations: 2, cost: 80),
    ]

    static func report() -> SLAReport { SLAReport(records: sample.reversed(), from: from, to: to) }

    typealias Q = SLAReport.Quantiles

    /// Checks one target: total with verdict, met, breaches, running, stopped, attainment, times.
    func check(
        _ f: SLAReport.TargetFigures, total: Int, met: Int, breaches: Int, running: Int, stopped: Int, attainment: Double?,
        business: Q?, wall: Q?, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(f.total == total, sourceLocation: sourceLocation)
        #expect(f.met == met, sourceLocation: sourceLocation)
        #expect(f.breaches == breaches, sourceLocation: sourceLocation)
        #expect(f.running == running, sourceLocation: sourceLocation)
        #expect(f.stopped == stopped, sourceLocation: sourceLocation)
        #expect(f.attainment == attainment, sourceLocation: sourceLocation)
        #expect(f.business == business, sourceLocation: sourceLocation)
        #expect(f.wall == wall, sourceLocation: sourceLocation)
    }

    @Test func percentileIsNearestRank() {
        #expect(SLAReport.percentile(50, of: []) == nil)
        #expect(SLAReport.percentile(50, of: [7]) == 7)
        #expect(SLAReport.percentile(90, of: [7]) == 7)
        #expect(SLAReport.percentile(50, of: [1, 2]) == 1)  // ⌈1.0⌉ = 1st: the lower middle value
        #expect(SLAReport.percentile(90, of: [1, 2]) == 2)  // ⌈1.8⌉ = 2nd
        #expect(SLAReport.percentile(50, of: Array(1...10)) == 5)  // ⌈5⌉
        #expect(SLAReport.percentile(90, of: Array(1...10)) == 9)  // ⌈9⌉ exactly, no floating-point drift
        #expect(SLAReport.percentile(90, of: Array(1...30)) == 27)  // ⌈27⌉
        #expect(SLAReport.percentile(90, of: Array(1...11)) == 10)  // ⌈9.9⌉
        #expect(SLAReport.percentile(0, of: [3, 4]) == 3)
        #expect(SLAReport.percentile(100, of: [3, 4]) == 4)
    }

    @Test func rowsAreSortedByVendorThenPriority() {
        let report = Self.report()
        #expect(report.vendors.map(\.vendor) == ["acme", "globex"])
        #expect(report.vendors.map { $0.priorities.map(\.priority) } == [[.p1, .p2], [.p1, .p2]])
        #expect(report.rows.map(\.vendor) == ["acme", "acme", "acme", "globex", "globex", "globex", nil])
        #expect(report.rows.map(\.priority) == [.p1, .p2, nil, .p1, .p2, nil, nil])
    }

    @Test func acmeFigures() throws {
        let acme = try #require(Self.report().vendors.first)
        // P1: I1, I2. Ack: both met; business [600, 1200] → median ⌈1⌉st = 600, p90 ⌈1.8⌉ = 2nd = 1200;
        // wall [600, 1500]. Resolve: I1 met, I2 breached but stopped: business [7200, 20000], wall [9000, 30000].
        let p1 = acme.priorities[0]
        #expect(p1.incidents == 2)
        check(p1.acknowledge, total: 2, met: 2, breaches: 0, running: 0, stopped: 2, attainment: 1,
              business: Q(median: 600, p90: 1200), wall: Q(median: 600, p90: 1500))
        check(p1.resolve, total: 2, met: 1, breaches: 1, running: 0, stopped: 2, attainment: 0.5,
              business: Q(median: 7200, p90: 20_000), wall: Q(median: 9000, p90: 30_000))
        // No reassignment; I2 reopened: 1/2; escalations 2 (I2 resolve); cost 100 + 100 once per incident.
        #expect(p1.reassignments == 0 && p1.reopened == 1 && p1.reopenRate == 0.5 && p1.escalations == 2 && p1.cost == 200)

        // P2: I3, I4. Ack: I3 met 900, I4 breached, stopped at 4000 → [900, 4000]. Resolve: I3 running, I4's
        // acme clock ended by the reassignment without verdict → no verdict, no time.
        let p2 = acme.priorities[1]
        #expect(p2.incidents == 2)
        check(p2.acknowledge, total: 2, met: 1, breaches: 1, running: 0, stopped: 2, attainment: 0.5,
              business: Q(median: 900, p90: 4000), wall: Q(median: 900, p90: 4000))
        check(p2.resolve, total: 0, met: 0, breaches: 0, running: 2, stopped: 0, attainment: nil, business: nil, wall: nil)
        // I4 reassigned once (counted once, not per record); no reopen: 0/2; escalations 1; cost 50 + 50.
        #expect(p2.reassignments == 1 && p2.reopened == 0 && p2.reopenRate == 0 && p2.escalations == 1 && p2.cost == 100)

        // acme total: I1–I4. Ack business [600, 900, 1200, 4000] → median ⌈2⌉nd = 900, p90 ⌈3.6⌉ = 4th = 4000;
        // wall [600, 900, 1500, 4000]. Resolve as P1 (P2 has none).
        let total = acme.total
        #expect(total.vendor == "acme" && total.priority == nil && total.incidents == 4)
        check(total.acknowledge, total: 4, met: 3, breaches: 1, running: 0, stopped: 4, attainment: 0.75,
              business: Q(median: 900, p90: 4000), wall: Q(median: 900, p90: 4000))
        check(total.resolve, total: 2, met: 1, breaches: 1, running: 2, stopped: 2, attainment: 0.5,
              business: Q(median: 7200, p90: 20_000), wall: Q(median: 9000, p90: 30_000))
        // Reassignments 1 (I4); reopened 1/4; escalations 2 + 1; cost 200 + 100.
        #expect(total.reassignments == 1 && total.reopened == 1 && total.reopenRate == 0.25)
        #expect(total.escalations == 3 && total.cost == 300)
    }

    @Test func globexFigures() throws {
        let globex = try #require(Self.report().vendors.last)
        // P1: I5, I6. Ack: I5 met 300, I6 breached and stopped (2000 business, 2500 wall).
        // Resolve: both met, business [3600, 6000], wall [3600, 6500].
        let p1 = globex.priorities[0]
        #expect(p1.incidents == 2)
        check(p1.acknowledge, total: 2, met: 1, breaches: 1, running: 0, stopped: 2, attainment: 0.5,
              business: Q(median: 300, p90: 2000), wall: Q(median: 300, p90: 2500))
        check(p1.resolve, total: 2, met: 2, breaches: 0, running: 0, stopped: 2, attainment: 1,
              business: Q(median: 3600, p90: 6000), wall: Q(median: 3600, p90: 6500))
        // I6 reopened: 1/2; escalations 1; cost: I5 200, I6 unknown → 200.
        #expect(p1.reassignments == 0 && p1.reopened == 1 && p1.reopenRate == 0.5 && p1.escalations == 1 && p1.cost == 200)

        // P2: I4 (resolve only, after the reassignment), I7. Ack: I7 met (600 / 700 wall).
        // Resolve: I4 met (5000 / 8000); I7 overdue and running: a breach without time.
        let p2 = globex.priorities[1]
        #expect(p2.incidents == 2)
        check(p2.acknowledge, total: 1, met: 1, breaches: 0, running: 0, stopped: 1, attainment: 1,
              business: Q(median: 600, p90: 600), wall: Q(median: 700, p90: 700))
        check(p2.resolve, total: 2, met: 1, breaches: 1, running: 0, stopped: 1, attainment: 0.5,
              business: Q(median: 5000, p90: 5000), wall: Q(median: 8000, p90: 8000))
        // I4 reassigned once; no reopen; escalations 2 (I7); cost I4 80 (globex's price) + I7 80.
        #expect(p2.reassignments == 1 && p2.reopened == 0 && p2.reopenRate == 0 && p2.escalations == 2 && p2.cost == 160)

        // globex total: I4–I7. Ack business [300, 600, 2000] → median ⌈1.5⌉ = 2nd = 600, p90 ⌈2.7⌉ = 3rd = 2000;
        // wall [300, 700, 2500]. Resolve: 4 verdicts, 3 met; stopped business [3600, 5000, 6000] → 5000 / 6000,
        // wall [3600, 6500, 8000] → 6500 / 8000.
        let total = globex.total
        #expect(total.incidents == 4)
        check(total.acknowledge, total: 3, met: 2, breaches: 1, running: 0, stopped: 3, attainment: 2.0 / 3,
              business: Q(median: 600, p90: 2000), wall: Q(median: 700, p90: 2500))
        check(total.resolve, total: 4, met: 3, breaches: 1, running: 0, stopped: 3, attainment: 0.75,
              business: Q(median: 5000, p90: 6000), wall: Q(median: 6500, p90: 8000))
        // Reassignments 1 (I4); reopened 1/4 (I6); escalations 1 + 2; cost 200 + 160.
        #expect(total.reassignments == 1 && total.reopened == 1 && total.reopenRate == 0.25)
        #expect(total.escalations == 3 && total.cost == 360)
    }

    @Test func overallFigures() {
        let total = Self.report().total
        // I1–I7: the reassigned I4 counts once here though under both vendors.
        #expect(total.vendor == nil && total.priority == nil && total.incidents == 7)
        // Ack: 7 verdicts, 5 met. Business [300, 600, 600, 900, 1200, 2000, 4000] → median ⌈3.5⌉ = 4th = 900,
        // p90 ⌈6.3⌉ = 7th = 4000; wall [300, 600, 700, 900, 1500, 2500, 4000] → 900 / 4000.
        check(total.acknowledge, total: 7, met: 5, breaches: 2, running: 0, stopped: 7, attainment: 5.0 / 7,
              business: Q(median: 900, p90: 4000), wall: Q(median: 900, p90: 4000))
        // Resolve: 6 verdicts, 4 met, 2 running (I3, I4 at acme). Business [3600, 5000, 6000, 7200, 20000] →
        // median ⌈2.5⌉ = 3rd = 6000, p90 ⌈4.5⌉ = 5th = 20000; wall [3600, 6500, 8000, 9000, 30000] → 8000 / 30000.
        check(total.resolve, total: 6, met: 4, breaches: 2, running: 2, stopped: 5, attainment: 4.0 / 6,
              business: Q(median: 6000, p90: 20_000), wall: Q(median: 8000, p90: 30_000))
        // Reassignments: I4 once → 1; reopened I2, I6 → 2/7; escalations 3 + 3;
        // cost per (vendor, incident): acme 100+100+50+50, globex 80+200+80 → 660.
        #expect(total.reassignments == 1 && total.reopened == 2 && total.reopenRate == 2.0 / 7)
        #expect(total.escalations == 6 && total.cost == 660)
    }

    @Test func emptyReportHasAZeroTotal() {
        let report = SLAReport(records: [], from: Self.from, to: Self.to)
        #expect(report.vendors.isEmpty && report.total.incidents == 0 && report.total.cost == nil)
        #expect(report.total.reopenRate == nil && report.total.acknowledge.attainment == nil)
        #expect(!report.html().contains("<svg"))
        #expect(report.csv().split(separator: "\r\n").count == 2)
    }

    @Test func csvHasAHeaderAndOneLinePerRow() {
        let lines = Self.report().csv().components(separatedBy: "\r\n")
        #expect(lines.count == 9)  // header, 7 rows, the empty string after the last CRLF
        #expect(lines[0] == "scope,vendor,priority,incidents,"
            + "acknowledge_total,acknowledge_met,acknowledge_breaches,acknowledge_running,acknowledge_attainment_pct,"
            + "acknowledge_stopped,acknowledge_median_business_seconds,acknowledge_p90_business_seconds,"
            + "acknowledge_median_wall_seconds,acknowledge_p90_wall_seconds,"
            + "resolve_total,resolve_met,resolve_breaches,resolve_running,resolve_attainment_pct,"
            + "resolve_stopped,resolve_median_business_seconds,resolve_p90_business_seconds,"
            + "resolve_median_wall_seconds,resolve_p90_wall_seconds,"
            + "reassignments,reopened,reopen_rate_pct,escalations,cost")
        #expect(lines[1] == "priority,acme,P1,2,2,2,0,0,100.00,2,600,1200,600,1500,2,1,1,0,50.00,2,7200,20000,9000,30000,0,1,50.00,2,200.00")
        #expect(lines[2] == "priority,acme,P2,2,2,1,1,0,50.00,2,900,4000,900,4000,0,0,0,2,,0,,,,,1,0,0.00,1,100.00")
        #expect(lines[7] == "all,,,7,7,5,2,0,71.43,7,900,4000,900,4000,6,4,2,2,66.67,5,6000,20000,8000,30000,1,2,28.57,6,660.00")
    }

    @Test func csvQuotesFields() {
        let records = [Self.record("I1", "a,\"b\"", .p1, .acknowledge, met: true, stopped: true, business: 60, wall: 60)]
        let csv = SLAReport(records: records, from: Self.from, to: Self.to).csv()
        #expect(csv.contains("\r\npriority,\"a,\"\"b\"\"\",P1,1,"))
    }

    @Test func jsonRoundTripsWithEveryKey() throws {
        let text = Self.report().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["from", "to", "vendors", "total"])
        #expect(object["from"] as? String == "2026-11-01T00:00:00.000Z")
        #expect(object["to"] as? String == "2026-12-01T00:00:00.000Z")
        let vendors = try #require(object["vendors"] as? [[String: Any]])
        #expect(vendors.map { $0["vendor"] as? String } == ["acme", "globex"])
        #expect(Set(vendors[0].keys) == ["vendor", "priorities", "total"])
        let rowKeys: Set<String> = [
            "vendor", "priority", "incidents", "acknowledge", "resolve", "reassignments", "reopened", "reopen_rate_pct",
            "escalations", "cost",
        ]
        let targetKeys: Set<String> = [
            "total", "met", "breaches", "running", "stopped", "attainment_pct", "median_business_seconds",
            "p90_business_seconds", "median_wall_seconds", "p90_wall_seconds",
        ]
        let acmeP2 = try #require((vendors[0]["priorities"] as? [[String: Any]])?.last)
        #expect(Set(acmeP2.keys) == rowKeys)
        #expect(acmeP2["priority"] as? String == "P2")
        let resolve = try #require(acmeP2["resolve"] as? [String: Any])
        #expect(Set(resolve.keys) == targetKeys)
        #expect(resolve["attainment_pct"] is NSNull && resolve["median_business_seconds"] is NSNull)
        #expect((resolve["running"] as? NSNumber)?.intValue == 2)
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["vendor"] is NSNull && total["priority"] is NSNull)
        #expect((total["incidents"] as? NSNumber)?.intValue == 7)
        #expect((total["cost"] as? NSNumber)?.doubleValue == 660)
        #expect((total["reopen_rate_pct"] as? NSNumber)?.doubleValue == 28.57)
        let acknowledge = try #require(total["acknowledge"] as? [String: Any])
        #expect((acknowledge["attainment_pct"] as? NSNumber)?.doubleValue == 71.43)
        #expect((acknowledge["p90_business_seconds"] as? NSNumber)?.intValue == 4000)
    }

    @Test func htmlIsSelfContainedAndEscapesVendorNames() {
        var records = Self.sample
        records.append(Self.record("I9", "<script>&\"x\"", .p3, .resolve, met: true, stopped: true, business: 60, wall: 60))
        let html = SLAReport(records: records, from: Self.from, to: Self.to).html(attainmentTarget: 0.9)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>SLA report 2026-11-01 to 2026-11-30 (UTC)</title>"))
        #expect(html.components(separatedBy: "<svg").count == 3)  // attainment and time to resolve
        #expect(!html.contains("http"))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;&amp;&quot;x&quot;"))
        #expect(html.contains("class=\"target\""))
        #expect(html.contains("target 90%"))
        #expect(html.contains("<h3>acme</h3>") && html.contains("<h3>globex</h3>"))
    }

    @Test func tableAlignsColumns() {
        let lines = Self.report().table().components(separatedBy: "\n")
        #expect(lines[0] == "SLA report 2026-11-01 to 2026-11-30 (UTC)")
        #expect(lines[1] == "")
        // Numbers right-aligned, names left-aligned, two spaces between columns: every line of the
        // table proper has the header's width.
        #expect(lines[2] == "VENDOR       PRI  INC  ACK MET   ACK %  ACK BR  ACK P50/P90  ACK WALL P50/P90  RES MET   RES %  RES BR        RES P50/P90   RES WALL P50/P90  REASSIGN  REOPEN  ESC    COST")
        #expect(lines[3] == "acme         P1     2      2/2  100.0%       0      10m/20m           10m/25m      1/2   50.0%       1        2h/5h33m20s        2h30m/8h20m         0   50.0%    2  200.00")
        #expect(lines[11] == "all vendors  all    7      5/7   71.4%       2  15m/1h6m40s       15m/1h6m40s      4/6   66.7%       2     1h40m/5h33m20s     2h13m20s/8h20m         1   28.6%    6  660.00")
        #expect(lines[6] == "" && lines[10] == "")  // a blank line after each vendor's total
        let table = lines[2...11].filter { !$0.isEmpty }
        #expect(table.count == 8 && table.allSatisfy { $0.count == lines[2].count })
    }
}
