import Foundation
import Testing
import TriageCore
import TriageEngine

/// IncidentStore: intake, dedup, re-fire, replays, rejected payloads.
extension StoreConformance {
    /// Accepted drafts become queued incidents with a `received` event.
    public func acceptStoresAndQueues() async throws {
        let store = try await makeStore()
        let accepted = try await store.accept([draft("a"), draft("b")], raw: raw())
        #expect(accepted.map(\.outcome) == [.created, .created])
        let detail = try #require(try await store.incident(accepted[0].id))
        #expect(detail.incident.title == "Incident a")
        #expect(detail.incident.status == .open)
        #expect(detail.queueState == "queued")
        #expect(detail.events.map(\.kind) == ["received"])
    }

    /// A re-fire deduplicates onto the open incident and a resolution closes it; an orphan resolution is
    /// stored, not queued.
    public func refireDeduplicatesAndResolveCloses() async throws {
        let store = try await makeStore()
        let first = try await store.accept([draft("k")], raw: raw())
        let again = try await store.accept([draft("k")], raw: raw(at: t0.addingTimeInterval(5)))
        #expect(again == [AcceptedIncident(id: first[0].id, outcome: .deduplicated)])
        let resolved = try await store.accept([draft("k", resolved: true)], raw: raw(at: t0.addingTimeInterval(9)))
        #expect(resolved == [AcceptedIncident(id: first[0].id, outcome: .resolved)])
        #expect(try await store.incident(first[0].id)?.incident.status == .resolved)
        let detail = try #require(try await store.incident(first[0].id))
        #expect(detail.incident.occurrences == 2)
        #expect(detail.incident.resolvedAt == t0.addingTimeInterval(9))
        #expect(detail.incident.lastSeenAt == t0.addingTimeInterval(5))
        // A resolution with nothing open is stored, not queued.
        let orphan = try await store.accept([draft("never-opened", resolved: true)], raw: raw())
        #expect(orphan[0].outcome == .storedResolved)
        #expect(try await store.incident(orphan[0].id)?.queueState == nil)
    }

    /// Rejected payloads are kept truncated, newest first, pruned beyond `keep`.
    public func rejectedPayloadsAreKept() async throws {
        let store = try await makeStore()
        let big = RawPayload(
            source: "generic", contentType: "application/json", body: Array(repeating: UInt8(ascii: "x"), count: 100),
            receivedAt: t0)
        for index in 0..<5 {
            try await store.recordRejected(
                RejectedPayload(raw: big, status: 422, reason: "reason \(index)", maxBodyBytes: 10), keep: 3)
        }
        let kept = try await store.rejectedPayloads(source: nil, limit: 10)
        #expect(kept.map(\.reason) == ["reason 4", "reason 3", "reason 2"])
        #expect(kept.first?.body == "xxxxxxxxxx")
        #expect(kept.first?.bodyBytes == 100)
        #expect(kept.first?.truncated == true)
        #expect(kept.first?.status == 422)
        #expect(try await store.rejectedPayloads(source: "other", limit: 10).isEmpty)
        try await store.ping()
    }

    /// Updates, acknowledgements and resolutions from the source move the incident; late ones are ignored.
    public func lifecycleFollowsTheSender() async throws {
        let store = try await makeStore()
        let id = try await store.accept([draft("L", .trigger, severity: .warning)], raw: raw())[0].id
        let refire = try await store.accept([draft("L", .trigger, severity: .critical)], raw: raw(at: t0 + 1))
        #expect(refire == [AcceptedIncident(id: id, outcome: .deduplicated)])
        #expect(try await store.incident(id)?.incident.severity == .critical)
        var renamed = draft("L", .update, title: "Renamed")
        renamed.labels = ["team": "billing"]
        let update = try await store.accept([renamed], raw: raw(at: t0 + 2))
        #expect(update == [AcceptedIncident(id: id, outcome: .updated)])
        // A partial update (title is only the sender's key, no labels) keeps what the incident has.
        var partial = draft("L", .update, title: "L")
        partial.labels = ["escalation": "level-2"]
        #expect(try await store.accept([partial], raw: raw(at: t0 + 2)) == [.init(id: id, outcome: .updated)])
        let ack = try await store.accept([draft("L", .acknowledge)], raw: raw(at: t0 + 3))
        #expect(ack == [AcceptedIncident(id: id, outcome: .acknowledged)])
        let acked = try #require(try await store.incident(id))
        #expect(acked.incident.title == "Renamed")
        #expect(acked.incident.labels == ["team": "billing", "escalation": "level-2"])
        #expect(acked.incident.status == .acknowledged)
        #expect(acked.incident.acknowledgedAt == t0 + 3)
        #expect(acked.incident.occurrences == 2)
        // Still open while acknowledged: a re-fire lands on it.
        #expect(try await store.accept([draft("L", .trigger)], raw: raw(at: t0 + 4)) == [.init(id: id, outcome: .deduplicated)])
        #expect(try await store.accept([draft("L", .resolve)], raw: raw(at: t0 + 5)) == [.init(id: id, outcome: .resolved)])
        // A late update of a resolved incident changes nothing.
        #expect(try await store.accept([draft("L", .update, title: "Late")], raw: raw(at: t0 + 6)) == [.init(id: id, outcome: .ignored)])
        let final = try #require(try await store.incident(id))
        #expect(final.incident.status == .resolved)
        #expect(final.incident.title == "Renamed")
        #expect(final.events.map(\.kind) == ["received", "refired", "updated", "updated", "acknowledged", "refired", "resolved", "ignored"])
        // An acknowledgement with nothing open opens the incident already acknowledged.
        let fresh = try await store.accept([draft("M", .acknowledge)], raw: raw(at: t0 + 7))
        #expect(fresh[0].outcome == .created)
        #expect(try await store.incident(fresh[0].id)?.incident.status == .acknowledged)
    }

    /// A trigger after resolution reopens within the re-fire window (round 2), else creates a new incident.
    public func refireAfterResolutionFollowsThePolicy() async throws {
        let store = try await makeStore()
        let hour: TimeInterval = 3600
        let reopenWithinHour = RefirePolicy.reopen(within: hour)
        let id = try await store.accept([draft("R", .trigger)], raw: raw())[0].id
        _ = try await store.accept([draft("R", .resolve)], raw: raw(at: t0 + 10))
        // Within the window: the same incident reopens and is queued for a second round of triage.
        let again = try await store.accept(Intake(drafts: [draft("R", .trigger)], raw: raw(at: t0 + 100), refire: reopenWithinHour))
        #expect(again.incidents == [AcceptedIncident(id: id, outcome: .reopened)])
        let reopened = try #require(try await store.incident(id))
        #expect(reopened.incident.status == .open)
        #expect(reopened.incident.resolvedAt == nil)
        #expect(reopened.queueState == "queued")
        let claimed = try await store.claim(limit: 10, owner: "w", now: t0 + 101, lease: .seconds(30))
        #expect(claimed.map(\.round) == [2])
        _ = try await store.accept([draft("R", .resolve)], raw: raw(at: t0 + 200))
        // Past the window: a new incident.
        let late = try await store.accept(
            Intake(drafts: [draft("R", .trigger)], raw: raw(at: t0 + 200 + hour + 1), refire: reopenWithinHour))
        #expect(late.incidents[0].outcome == .created)
        #expect(late.incidents[0].id != id)
        // With `refire: new`, always a new incident.
        _ = try await store.accept([draft("S", .trigger)], raw: raw())
        _ = try await store.accept([draft("S", .resolve)], raw: raw(at: t0 + 1))
        let created = try await store.accept(Intake(drafts: [draft("S", .trigger)], raw: raw(at: t0 + 2), refire: .create))
        #expect(created.incidents[0].outcome == .created)
    }

    /// A delivery id seen before for the source stores nothing; the same id from another source is new.
    public func replayedDeliveriesStoreNothing() async throws {
        let store = try await makeStore()
        var delivery = raw("github")
        delivery.deliveryID = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
        let gh = IncidentDraft(source: "github", dedupKey: "org/repo#1", title: "Broken build")
        let first = try await store.accept(Intake(drafts: [gh], raw: delivery))
        #expect(first.replayedDelivery == false)
        #expect(first.incidents.map(\.outcome) == [.created])
        var replay = delivery
        replay.receivedAt = t0 + 60
        let second = try await store.accept(Intake(drafts: [gh], raw: replay))
        #expect(second.replayedDelivery)
        #expect(second.incidents.isEmpty)
        #expect(try await store.incident(first.incidents[0].id)?.incident.occurrences == 1)
        // The same id from another source is a different delivery.
        var other = delivery
        other.source = "github-enterprise"
        let third = try await store.accept(
            Intake(drafts: [IncidentDraft(source: "github-enterprise", dedupKey: "x", title: "y")], raw: other))
        #expect(third.replayedDelivery == false)
    }

    /// Many webhooks at once (group commit): every one lands, each gets its own answer.
    public func concurrentIntakesAllLand() async throws {
        let store = try await makeStore()
        let intakes = (0..<200).map { Intake(drafts: [draft("C\($0 % 50)", .trigger)], raw: raw()) }
        let receipts = try await withThrowingTaskGroup(of: IntakeReceipt.self) { group in
            for intake in intakes {
                group.addTask { try await store.accept(intake) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let outcomes = receipts.flatMap(\.incidents)
        #expect(outcomes.count == 200)
        #expect(outcomes.filter { $0.outcome == .created }.count == 50)
        #expect(outcomes.filter { $0.outcome == .deduplicated }.count == 150)
        #expect(Set(outcomes.map(\.id)).count == 50)
        for id in Set(outcomes.map(\.id)) {
            #expect(try await store.incident(id)?.incident.occurrences == 4)
        }
    }
}
