import Foundation
import Testing
import TriageCore
import TriageEngine

/// RetentionStore: closed incidents purged or redacted exactly when due, and SLA reports unchanged
/// by a purge. The payload, message and rejected-request checks are in `+RetentionData`.
extension StoreConformance {
    /// Every retention check.
    public func retentionChecks() async throws {
        try await retentionPurgesExactlyTheClosedIncidentsDue()
        try await retentionRedactsClosedIncidentsAndKeepsTheirSLARecord()
        try await retentionKeepsTheSLAReportOfPurgedIncidents()
        try await retentionBlanksExactlyThePayloadsDue()
        try await retentionBlanksExactlyTheMessageBodiesDue()
        try await retentionDeletesExactlyTheRejectedRequestsDue()
    }

    /// The instant the retention checks sweep at: 1000 days after `t0`.
    var sweepAt: Date { t0 + 1000 * 86_400 }

    /// `days` days (and `seconds` seconds) before ``sweepAt``: `ago(30, -1)` is one second more than 30 days ago.
    func ago(_ days: Double, _ seconds: Double = 0) -> Date { sweepAt - days * 86_400 + seconds }

    func days(_ count: Int64) -> Duration { .seconds(count * 86_400) }

    /// Accepts `key` from `source` at `at` (its payload says `payload <key>`) and triages it to
    /// `vendor` (or suppresses it), with the vendor's clocks when `clocks`, queuing `message` if given.
    @discardableResult
    func settle(
        _ store: Store, _ key: String, source: String = "generic", vendor: String?, at: Date, clocks: Bool = false,
        suppressed: Bool = false, message: NewOutboxMessage? = nil, steps: [EscalationStep] = []
    ) async throws -> IncidentID {
        let draft = IncidentDraft(
            source: source, dedupKey: key, title: "Disk full for Jane Doe (\(key))", description: "call her on +44 20 7946 0000",
            severity: .error, labels: ["env": "prod", "owner": "jane.doe@example.com", "summary": "ask Jane"])
        let raw = RawPayload(source: source, contentType: "application/json", body: Array("payload \(key)".utf8), receivedAt: at)
        let id = try #require(try await store.accept([draft], raw: raw).first).id
        let item = try #require(try await store.claim(limit: 1, owner: "worker", now: at, lease: .seconds(60)).first)
        #expect(item.incident.id == id)
        var made = decision(id, vendor: suppressed ? nil : vendor, at: at)
        if suppressed { made.suppressed = "noise" }
        let clock = clocks ? vendor.map { SLAClockStart(snapshot: terms($0, steps: steps), startedAt: at) } : nil
        try await store.complete(item, decision: made, outbox: message.map { [$0] } ?? [], clock: clock, now: at)
        return id
    }

    /// The sender resolves `key` at `at`.
    func close(_ store: Store, _ key: String, source: String = "generic", at: Date) async throws {
        let raw = RawPayload(source: source, contentType: "application/json", body: Array("resolve \(key)".utf8), receivedAt: at)
        _ = try await store.accept([IncidentDraft(source: source, dedupKey: key, title: key, action: .resolve)], raw: raw)
    }

    /// Purges closed incidents due under `policy` at ``sweepAt`` batch by batch; returns the batches' counts.
    func purgeClosed(_ store: Store, _ policy: RetentionPolicy, limit: Int) async throws -> [Int] {
        var counts: [Int] = []
        while counts.last.map({ $0 == limit }) ?? true {
            counts.append(
                try await store.purgeDue(
                    .closedIncidents, cutoffs: policy.cutoffs(.closedIncidents, now: sweepAt), action: policy.closedIncidentAction,
                    limit: limit, now: sweepAt))
        }
        return counts
    }

    /// Closed incidents older than their age (per source, per vendor, first override first) are
    /// purged with everything about them; one second younger, open, or with a delivery pending, kept.
    public func retentionPurgesExactlyTheClosedIncidentsDue() async throws {
        let store = try await makeStore()
        let policy = RetentionPolicy(
            defaults: .init(closedIncidents: days(100)),
            overrides: [
                .init(source: "quick", ages: .init(closedIncidents: days(1))),
                .init(vendor: "fast", ages: .init(closedIncidents: days(5))),
            ])
        // key, source, vendor, when closed (nil: open), suppressed, with a pending delivery
        let seeds: [(String, String, String?, Date?, Bool, Bool)] = [
            ("old", "generic", "acme", ago(100, -1), false, false), ("edge", "generic", "acme", ago(100), false, false),
            ("young", "generic", "acme", ago(99), false, false), ("fast-old", "generic", "fast", ago(5, -1), false, false),
            ("fast-young", "generic", "fast", ago(5, 1), false, false), ("quick-old", "quick", "fast", ago(1, -1), false, false),
            ("quick-young", "quick", nil, ago(1, 1), false, false), ("open", "generic", "acme", nil, false, false),
            ("quiet", "generic", nil, ago(101), true, false), ("busy", "generic", "acme", ago(200), false, true),
        ]
        var ids: [String: IncidentID] = [:]
        for (key, source, vendor, closed, suppressed, busy) in seeds {
            // Received an hour before closing; a suppressed incident closes when last seen, on arrival.
            let received = (closed ?? ago(500)) - (suppressed ? 0 : 3600)
            ids[key] = try await settle(
                store, key, source: source, vendor: vendor, at: received, suppressed: suppressed,
                message: busy ? message("\(key)-1", vendor: vendor ?? "acme") : nil)
            if let closed, !suppressed { try await close(store, key, source: source, at: closed) }
        }
        let due = Set(
            seeds.filter { seed in
                seed.3.map { policy.due(.closedIncidents, source: seed.1, vendor: seed.2, at: $0, now: sweepAt) } ?? false
                    && !seed.5
            }.map(\.0))
        #expect(due == ["old", "fast-old", "quick-old", "quiet"])
        let cutoffs = policy.cutoffs(.closedIncidents, now: sweepAt)
        #expect(try await store.retentionDue(.closedIncidents, cutoffs: cutoffs, action: .purge) == 4)
        // Two instances sweeping at once purge each incident once.
        let now = sweepAt
        async let first = store.purgeDue(.closedIncidents, cutoffs: cutoffs, action: .purge, limit: 3, now: now)
        async let second = store.purgeDue(.closedIncidents, cutoffs: cutoffs, action: .purge, limit: 3, now: now)
        #expect(try await first + second == 4)
        #expect(try await purgeClosed(store, policy, limit: 3) == [0])
        #expect(try await store.retentionDue(.closedIncidents, cutoffs: cutoffs, action: .purge) == 0)
        for (key, id) in ids {
            let kept = try await store.incident(id)
            #expect((kept == nil) == due.contains(key), "incident \(key) \(kept == nil ? "purged" : "kept")")
        }
        let counts = try await store.counts()
        #expect(counts["incident"] == 6)
        #expect(counts["decision"] == 6)
        #expect(counts["workItem"] == 6)
        #expect(counts["outboxMessage"] == 1)
        // The payloads the purged incidents were made from went with them; the resolve requests' stay.
        #expect(counts["rawPayload"] == 10 - 4 + 8)
    }

    /// `redact` blanks what a closed incident says (labels keep identifiers only) and keeps the row,
    /// its decision and its SLA clocks; a redacted incident is not taken again.
    public func retentionRedactsClosedIncidentsAndKeepsTheirSLARecord() async throws {
        let store = try await makeStore()
        let policy = RetentionPolicy(defaults: .init(closedIncidents: days(10)), closedIncidentAction: .redact)
        let old = try await settle(store, "old", vendor: "acme", at: ago(11, -3600), clocks: true)
        try await close(store, "old", at: ago(11))
        let young = try await settle(store, "young", vendor: "acme", at: ago(9, -3600), clocks: true)
        try await close(store, "young", at: ago(9))
        let clocks = try await store.slaClockEntries(from: ago(20), to: sweepAt, vendor: nil)
        let youngBefore = try await detail(store, young)
        #expect(try await purgeClosed(store, policy, limit: 10) == [1])
        #expect(try await purgeClosed(store, policy, limit: 10) == [0])
        #expect(try await store.retentionDue(.closedIncidents, cutoffs: policy.cutoffs(.closedIncidents, now: sweepAt), action: .redact) == 0)
        let redacted = try await detail(store, old)
        #expect(redacted.incident.title.isEmpty)
        #expect(redacted.incident.description.isEmpty)
        #expect(redacted.incident.labels == ["env": "prod"])
        #expect(redacted.incident.status == .resolved)
        #expect(redacted.decision?.vendor == "acme")
        #expect(!redacted.events.isEmpty)
        #expect(redacted.events.allSatisfy { $0.detail.isEmpty })
        #expect(try await store.slaClockEntries(from: ago(20), to: sweepAt, vendor: nil) == clocks)
        #expect(try await detail(store, young) == youngBefore)
        let payloads = Dictionary(
            try await store.archives(vendor: nil).map { ($0.detail.incident.id, $0.payload.body) }, uniquingKeysWith: { a, _ in a })
        #expect(payloads[old] == "")
        #expect(payloads[young] == "payload young")
    }

    /// The SLA report over a period is the same after its closed incidents are purged: their
    /// clocks (met, breached, escalated, reassigned, reopened) move to the SLA archive.
    public func retentionKeepsTheSLAReportOfPurgedIncidents() async throws {
        let store = try await makeStore()
        let met = try await settle(store, "met", vendor: "acme", at: ago(50), clocks: true)
        _ = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "met", title: "met", action: .acknowledge)], raw: raw(at: ago(50, 600)))
        try await close(store, "met", at: ago(50, 3000))
        // Breached, with an escalation step fired on the way.
        try await settle(store, "late", vendor: "acme", at: ago(40), clocks: true, steps: [halfway])
        let timers = try await store.claimDueTimers(limit: 10, owner: "W", now: ago(40, 7200), lease: .seconds(60))
        #expect(timers.count == 2)
        try await store.recordFired(
            timers.map { FiredTimer(id: $0.id, incidentID: $0.incidentID, status: .fired, generation: $0.generation) }, owner: "W",
            now: ago(40, 7201))
        try await close(store, "late", at: ago(40, 20_000))
        // Reassigned from acme to globex (the new vendor's message delivered), then resolved.
        let moved = try await settle(store, "moved", vendor: "acme", at: ago(30), clocks: true)
        try await store.reassign(
            moved, decision: decision(moved, vendor: "globex", at: ago(30, 600)), outbox: message("moved-r", vendor: "globex"),
            clock: SLAClockStart(snapshot: terms("globex"), startedAt: ago(30, 600)), reason: "no answer", now: ago(30, 600))
        let sent = try #require(try await store.claimDue(limit: 10, owner: "D", now: ago(30, 700), lease: .seconds(60)).first)
        try await store.record(
            DeliveryAttempt(number: 1, startedAt: ago(30, 700), durationMilliseconds: 5, httpStatus: 200, failure: nil), for: sent,
            then: .delivered(at: ago(30, 700)))
        try await close(store, "moved", at: ago(30, 4000))
        // Resolved, re-fired (reopened and triaged again), resolved again.
        try await settle(store, "again", vendor: "globex", at: ago(25), clocks: true)
        try await close(store, "again", at: ago(25, 1000))
        _ = try await store.accept([IncidentDraft(source: "generic", dedupKey: "again", title: "again")], raw: raw(at: ago(25, 2000)))
        let item = try #require(try await store.claim(limit: 1, owner: "worker", now: ago(25, 2100), lease: .seconds(60)).first)
        try await store.complete(
            item, decision: decision(item.incident.id, vendor: "globex", at: ago(25, 2100)), outbox: [], clock: nil, now: ago(25, 2100))
        try await close(store, "again", at: ago(25, 3000))
        // Still open: kept, and still running in the report.
        let open = try await settle(store, "open", vendor: "globex", at: ago(20), clocks: true)

        func report(_ vendor: String?) async throws -> SLAReport {
            let records = try await SLARecordLoader.records(
                store: store, from: ago(60), to: sweepAt, vendor: vendor, zones: { _ in nil }, now: sweepAt)
            return SLAReport(records: records, from: ago(60), to: sweepAt)
        }
        let before = (try await report(nil), try await report("acme"), try await report("globex"))
        let entries = try await store.slaClockEntries(from: ago(60), to: sweepAt, vendor: nil)
        #expect(entries.count == 6)
        #expect(entries.contains { $0.escalations[.resolve] == 1 && $0.reopened == false })
        #expect(entries.filter(\.reopened).count == 1)
        #expect(entries.filter { $0.reassignments == 1 }.count == 2)
        let policy = RetentionPolicy(defaults: .init(closedIncidents: days(10)))
        #expect(try await purgeClosed(store, policy, limit: 2) == [2, 2, 0])
        #expect(try await store.incident(met) == nil)
        #expect(try await store.incident(open) != nil)
        #expect(try await store.slaClockEntries(from: ago(60), to: sweepAt, vendor: nil) == entries)
        #expect(try await store.slaClockEntries(from: ago(45), to: ago(35), vendor: "acme").map(\.generation) == [1])
        let after = (try await report(nil), try await report("acme"), try await report("globex"))
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
        #expect(after.2 == before.2)
        #expect(before.0.total.incidents == 5)
    }
}
