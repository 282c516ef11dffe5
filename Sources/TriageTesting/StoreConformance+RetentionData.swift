import Foundation
import Testing
import TriageCore
import TriageEngine

/// RetentionStore: raw payload bodies, delivered message bodies and rejected requests purged
/// exactly when due, per source and vendor, the boundary kept.
extension StoreConformance {
    /// Purges `kind` under `policy` at ``sweepAt`` until none is left; returns the batches' counts.
    func purgeAll(_ store: Store, _ kind: RetentionKind, _ policy: RetentionPolicy, limit: Int = 10) async throws -> [Int] {
        var counts: [Int] = []
        while counts.last.map({ $0 == limit }) ?? true {
            counts.append(
                try await store.purgeDue(
                    kind, cutoffs: policy.cutoffs(kind, now: sweepAt), action: policy.closedIncidentAction, limit: limit, now: sweepAt))
        }
        return counts
    }

    /// Payload bodies older than their age are deleted (a payload no incident was made from goes
    /// whole); the incidents made from them keep every field.
    public func retentionBlanksExactlyThePayloadsDue() async throws {
        let store = try await makeStore()
        let policy = RetentionPolicy(
            defaults: .init(rawPayloads: days(30)),
            overrides: [
                .init(source: "quick", ages: .init(rawPayloads: days(1))), .init(vendor: "fast", ages: .init(rawPayloads: days(5))),
            ])
        // key, source, vendor, received; all stay open.
        let seeds: [(String, String, String?, Date)] = [
            ("p-old", "generic", "acme", ago(60)), ("p-edge", "generic", "acme", ago(30)),
            ("p-fast", "generic", "fast", ago(5, -1)), ("p-fast-young", "generic", "fast", ago(5, 1)),
            ("p-quick", "quick", "fast", ago(1, -1)), ("p-quick-young", "quick", nil, ago(1, 1)),
        ]
        var ids: [String: IncidentID] = [:]
        for (key, source, vendor, at) in seeds { ids[key] = try await settle(store, key, source: source, vendor: vendor, at: at) }
        // Re-fires: their payloads belong to no incident (so to no vendor).
        let refire = { (at: Date) in
            RawPayload(source: "generic", contentType: nil, body: Array("refire".utf8), receivedAt: at)
        }
        _ = try await store.accept([IncidentDraft(source: "generic", dedupKey: "p-old", title: "x")], raw: refire(ago(30, -1)))
        _ = try await store.accept([IncidentDraft(source: "generic", dedupKey: "p-old", title: "x")], raw: refire(ago(30, 1)))
        let due = seeds.filter { policy.due(.rawPayloads, source: $0.1, vendor: $0.2, at: $0.3, now: sweepAt) }.map(\.0)
        #expect(due == ["p-old", "p-fast", "p-quick"])
        let before = Dictionary(uniqueKeysWithValues: try await ids.asyncMap { ($0.key, try await detail(store, $0.value).incident) })
        #expect(try await store.retentionDue(.rawPayloads, cutoffs: policy.cutoffs(.rawPayloads, now: sweepAt), action: .purge) == 4)
        #expect(try await purgeAll(store, .rawPayloads, policy, limit: 3) == [3, 1])
        #expect(try await purgeAll(store, .rawPayloads, policy) == [0])
        #expect(try await store.counts()["rawPayload"] == 7)
        let bodies = Dictionary(
            try await store.archives(vendor: nil).map { ($0.detail.incident.dedupKey, $0.payload.body) }, uniquingKeysWith: { a, _ in a })
        for (key, _, _, _) in seeds {
            #expect(bodies[key] == (due.contains(key) ? "" : "payload \(key)"), "payload of \(key)")
            #expect(try await detail(store, ids[key]!).incident == before[key], "incident \(key) changed")
        }
    }

    /// Bodies of delivered and dead messages that ended longer ago than their age are blanked; the
    /// messages stay listed, and pending ones are never touched.
    public func retentionBlanksExactlyTheMessageBodiesDue() async throws {
        let store = try await makeStore()
        let policy = RetentionPolicy(
            defaults: .init(deliveredMessages: days(7)), overrides: [.init(vendor: "fast", ages: .init(deliveredMessages: days(1)))])
        // key, vendor, when it ended, delivered (or dead)
        let seeds: [(String, String, Date, Bool)] = [
            ("m-old", "acme", ago(7, -1), true), ("m-edge", "acme", ago(7), true), ("m-fast", "fast", ago(2), true),
            ("m-fast-young", "fast", ago(1, 1), true), ("m-dead", "acme", ago(8), false),
        ]
        for (key, vendor, ended, delivered) in seeds {
            try await settle(store, key, vendor: vendor, at: ended - 60, message: message("\(key)-1", vendor: vendor))
            let claimed = try #require(try await store.claimDue(limit: 1, owner: "D", now: ended - 30, lease: .seconds(60)).first)
            #expect(claimed.id == "\(key)-1")
            let attempt = DeliveryAttempt(
                number: 1, startedAt: ended, durationMilliseconds: 5, httpStatus: delivered ? 200 : 500,
                failure: delivered ? nil : .classify(status: 500))
            try await store.record(attempt, for: claimed, then: delivered ? .delivered(at: ended) : .dead(reason: "gave up", at: ended))
        }
        try await settle(store, "m-pending", vendor: "acme", at: ago(100), message: message("m-pending-1", vendor: "acme"))
        let due = seeds.filter { policy.due(.deliveredMessages, source: "generic", vendor: $0.1, at: $0.2, now: sweepAt) }.map(\.0)
        #expect(due == ["m-old", "m-fast", "m-dead"])
        let cutoffs = policy.cutoffs(.deliveredMessages, now: sweepAt)
        #expect(try await store.retentionDue(.deliveredMessages, cutoffs: cutoffs, action: .purge) == 3)
        #expect(try await purgeAll(store, .deliveredMessages, policy, limit: 2) == [2, 1])
        #expect(try await store.retentionDue(.deliveredMessages, cutoffs: cutoffs, action: .purge) == 0)
        let entries = try await store.outboxEntries(status: nil, limit: 10)
        #expect(entries.map(\.status).sorted() == ["dead", "delivered", "delivered", "delivered", "delivered", "pending"])
        // A day later the boundary message is due too, and only it.
        let nextDay = policy.cutoffs(.deliveredMessages, now: sweepAt + 86_400)
        #expect(try await store.retentionDue(.deliveredMessages, cutoffs: nextDay, action: .purge) == 2)
    }

    /// Rejected requests older than their age are deleted; an override naming a vendor never
    /// applies to them (a rejected request has no vendor).
    public func retentionDeletesExactlyTheRejectedRequestsDue() async throws {
        let store = try await makeStore()
        let policy = RetentionPolicy(
            defaults: .init(rejectedPayloads: days(7)),
            overrides: [
                .init(vendor: "acme", ages: .init(rejectedPayloads: .seconds(1))),
                .init(source: "quick", ages: .init(rejectedPayloads: days(1))),
            ])
        let seeds: [(String, String, Date)] = [
            ("r-old", "generic", ago(7, -1)), ("r-edge", "generic", ago(7)), ("r-quick", "quick", ago(2)),
            ("r-quick-young", "quick", ago(1, 1)), ("r-vendor", "generic", ago(3)),
        ]
        for (reason, source, at) in seeds {
            try await store.recordRejected(
                RejectedPayload(
                    source: source, status: 400, reason: reason, contentType: nil, body: "rejected", bodyBytes: 8, truncated: false,
                    receivedAt: at), keep: 100)
        }
        #expect(try await store.retentionDue(.rejectedPayloads, cutoffs: policy.cutoffs(.rejectedPayloads, now: sweepAt), action: .purge) == 2)
        #expect(try await purgeAll(store, .rejectedPayloads, policy) == [2])
        let kept = try await store.rejectedPayloads(source: nil, limit: 100).map(\.reason).sorted()
        #expect(kept == ["r-edge", "r-quick-young", "r-vendor"])
        #expect(kept == seeds.filter { !policy.due(.rejectedPayloads, source: $0.1, vendor: nil, at: $0.2, now: sweepAt) }.map(\.0).sorted())
    }
}

extension Dictionary where Key: Sendable, Value: Sendable {
    /// The pairs `transform` makes of each entry, one at a time.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
