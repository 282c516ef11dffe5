import Foundation
import Testing
import TriageCore
import TriageEngine

/// OutboxAdmin, ModelStore and `counts()`.
extension StoreConformance {
    /// Operators list messages newest first by status, retry dead or dropped ones and drop pending or dead ones.
    public func outboxAdminListsRetriesAndDrops() async throws {
        let store = try await makeStore()
        let a = try await dispatch(store, draft("a"), vendor: "acme")
        let b = try await dispatch(store, draft("b"), vendor: "globex", at: t0 + 1)
        let c = try await dispatch(store, draft("c"), vendor: "initech", at: t0 + 2)
        #expect(try await store.outboxEntries(status: "pending", limit: 10).map(\.id) == ["c-1", "b-1", "a-1"])
        #expect(try await store.outboxEntries(status: nil, limit: 2).map(\.id) == ["c-1", "b-1"])
        #expect(try await store.outboxEntries(status: "pending", limit: 10).last == OutboxEntry(
            id: "a-1", incidentID: a.rawValue, vendor: "acme", endpoint: "http://127.0.0.1:1/acme", status: "pending",
            attempts: 0, nextAttemptAt: t0, createdAt: t0, deliveredAt: nil, reason: nil))
        // acme's endpoint is busy: only b and c are claimed; b dead-letters, c is delivered.
        let claimed = try await store.claimDue(
            limit: 10, owner: "d", now: t0 + 2, lease: .seconds(60), skipping: ["http://127.0.0.1:1/acme"])
        #expect(claimed.map(\.id).sorted() == ["b-1", "c-1"])
        let dead = "not retryable: clientError: HTTP 400"
        try await store.record(
            DeliveryAttempt(
                number: 1, startedAt: t0 + 2, durationMilliseconds: 5, httpStatus: 400, failure: DeliveryFailure.classify(status: 400)),
            for: try #require(claimed.first { $0.id == "b-1" }), then: .dead(reason: dead, at: t0 + 2))
        var accepted = DeliveryAttempt(number: 1, startedAt: t0 + 2, durationMilliseconds: 5, httpStatus: 201, failure: nil)
        accepted.externalRef = "INI-7"
        try await store.record(accepted, for: try #require(claimed.first { $0.id == "c-1" }), then: .delivered(at: t0 + 3))
        #expect(try await detail(store, c).vendorTicket == "INI-7")
        #expect(try await detail(store, b).vendorTicket == nil)
        #expect(try await store.outboxEntries(status: "dead", limit: 10) == [OutboxEntry(
            id: "b-1", incidentID: b.rawValue, vendor: "globex", endpoint: "http://127.0.0.1:1/globex", status: "dead",
            attempts: 1, nextAttemptAt: nil, createdAt: t0 + 1, deliveredAt: nil, reason: dead)])
        #expect(try await store.outboxEntries(status: "delivered", limit: 10) == [OutboxEntry(
            id: "c-1", incidentID: c.rawValue, vendor: "initech", endpoint: "http://127.0.0.1:1/initech", status: "delivered",
            attempts: 1, nextAttemptAt: nil, createdAt: t0 + 2, deliveredAt: t0 + 3, reason: nil)])
        // Retry: only a dead or dropped message.
        #expect(try await store.retryMessage("a-1", now: t0 + 60) == false)
        #expect(try await store.retryMessage("c-1", now: t0 + 60) == false)
        #expect(try await store.retryMessage("no-such-message", now: t0 + 60) == false)
        #expect(try await store.retryMessage("b-1", now: t0 + 60))
        let retried = try #require(try await store.outboxEntries(status: "pending", limit: 10).first { $0.id == "b-1" })
        #expect(retried.nextAttemptAt == t0 + 60)
        #expect(retried.reason == nil)
        #expect(retried.attempts == 1)
        #expect(try await detail(store, b).events.last?.kind == "redelivery")
        let skipAcme = ["http://127.0.0.1:1/acme"]
        #expect(try await store.claimDue(limit: 10, owner: "d", now: t0 + 59, lease: .seconds(60), skipping: skipAcme).isEmpty)
        // Drop: only a pending or dead message, once.
        #expect(try await store.dropMessage("a-1", reason: "vendor asked us to stop", now: t0 + 70))
        #expect(try await store.dropMessage("a-1", reason: "again", now: t0 + 71) == false)
        #expect(try await store.dropMessage("c-1", reason: "delivered already", now: t0 + 71) == false)
        #expect(try await store.dropMessage("no-such-message", reason: "none", now: t0 + 71) == false)
        let dropped = try await store.outboxEntries(status: "dropped", limit: 10)
        #expect(dropped.map(\.id) == ["a-1"])
        #expect(dropped.first?.reason == "dropped by an operator: vendor asked us to stop")
        #expect(try await detail(store, a).deliveries.map(\.status) == ["dropped"])
        #expect(try await detail(store, a).events.last?.kind == "dropped")
        // Nothing claims a dropped message; retrying it queues it again.
        #expect(try await store.claimDue(limit: 10, owner: "d", now: t0 + 3600, lease: .seconds(60)).map(\.id) == ["b-1"])
        #expect(try await store.retryMessage("a-1", now: t0 + 80))
        #expect(try await store.outboxEntries(status: "pending", limit: 10).map(\.id) == ["b-1", "a-1"])
        #expect(try await store.outboxEntries(status: "dropped", limit: 10).isEmpty)
    }

    /// A saved model loads back byte for byte, saving again replaces it, names are independent.
    public func modelsAreSavedAndReplaced() async throws {
        let store = try await makeStore()
        #expect(try await store.loadModel(named: "classifier") == nil)
        let first = StoredModel(name: "classifier", body: [0, 1, 2, 255, 0], trainedAt: t0, examples: 40)
        try await store.saveModel(first)
        #expect(try await store.loadModel(named: "classifier") == first)
        let second = StoredModel(
            name: "classifier", body: (0..<5000).map { UInt8($0 % 256) }, trainedAt: t0 + 3600, examples: 41)
        try await store.saveModel(second)
        #expect(try await store.loadModel(named: "classifier") == second)
        let other = StoredModel(name: "neighbours", body: [9], trainedAt: t0 + 1, examples: 3)
        try await store.saveModel(other)
        #expect(try await store.loadModel(named: "neighbours") == other)
        #expect(try await store.loadModel(named: "classifier") == second)
        #expect(try await store.loadModel(named: "missing") == nil)
    }

    /// Training examples are resolved incidents whose target a rule decided, newest resolution first.
    public func trainingExamplesComeFromRuleDecidedResolvedIncidents() async throws {
        let store = try await makeStore()
        let drafts = [
            IncidentDraft(source: "generic", dedupKey: "db", title: "Database down", description: "Primary refuses connections"),
            IncidentDraft(source: "generic", dedupKey: "net", title: "Network flaps", description: "Core switch drops packets"),
            IncidentDraft(source: "generic", dedupKey: "guess", title: "Disk full", description: "Guessed by the classifier"),
            IncidentDraft(source: "generic", dedupKey: "open", title: "Still open", description: "Not resolved yet"),
            IncidentDraft(source: "generic", dedupKey: "none", title: "Nobody knows", description: "Abstained"),
        ]
        let ids = try await store.accept(drafts, raw: raw()).map(\.id)
        let items = try await store.claim(limit: 10, owner: "worker", now: t0, lease: .seconds(60))
        var decisions = [
            decision(ids[0], vendor: "acme"), decision(ids[1], vendor: "globex", category: "network"),
            decision(ids[2], vendor: "acme", category: "storage"), decision(ids[3], vendor: "acme"),
            decision(ids[4], vendor: nil, category: nil),
        ]
        decisions[0].labels = ["assignment_group": "dba"]
        decisions[2].prediction = ClassifierPrediction(label: "storage", confidence: 0.9, abstained: false, ranked: [])
        for (index, id) in ids.enumerated() {
            let item = try #require(items.first { $0.incident.id == id })
            try await store.complete(item, decision: decisions[index], outbox: [], clock: nil, now: t0)
        }
        for (offset, key) in ["db", "guess", "net", "none"].enumerated() {
            _ = try await store.accept([draft(key, .resolve)], raw: raw(at: t0 + 100 * Double(offset + 1)))
        }
        let network = TrainingExample(id: ids[1].rawValue, text: "Network flaps\nCore switch drops packets", label: "network")
        let database = TrainingExample(id: ids[0].rawValue, text: "Database down\nPrimary refuses connections", label: "database")
        #expect(try await store.trainingExamples(target: .category, limit: 10) == [network, database])
        #expect(try await store.trainingExamples(target: .category, limit: 1) == [network])
        let vendors = try await store.trainingExamples(target: .vendor, limit: 10)
        #expect(vendors.map(\.id) == [ids[1].rawValue, ids[0].rawValue])
        #expect(vendors.map(\.label) == ["globex", "acme"])
        let groups = try await store.trainingExamples(target: .assignmentGroup, limit: 10)
        #expect(groups == [TrainingExample(id: ids[0].rawValue, text: database.text, label: "dba")])
    }

    /// Open incidents (acknowledged included) received at or after an instant, oldest first.
    public func openIncidentsAreThoseStillOpenSinceAnInstant() async throws {
        let store = try await makeStore()
        let early = try await store.accept([draft("early")], raw: raw(at: t0))[0].id
        let late = try await store.accept([draft("late")], raw: raw(at: t0 + 10))[0].id
        let acked = try await store.accept([draft("acked", .acknowledge)], raw: raw(at: t0 + 20))[0].id
        _ = try await store.accept([draft("gone")], raw: raw(at: t0 + 30))
        _ = try await store.accept([draft("gone", .resolve)], raw: raw(at: t0 + 40))
        let open = try await store.openIncidents(since: t0)
        #expect(open.map(\.id) == [early, late, acked])
        #expect(open.first == (try await detail(store, early)).incident)
        #expect(try await store.openIncidents(since: t0 + 10).map(\.id) == [late, acked])
        #expect(try await store.openIncidents(since: t0 + 21).isEmpty)
    }

    /// `counts()` gives rows per kind of record, zero on an empty store.
    public func countsFollowWhatWasStored() async throws {
        let store = try await makeStore()
        let kinds = [
            "incident", "rawPayload", "workItem", "decision", "outboxMessage", "deliveryAttempt", "slaClock", "slaTimer",
            "incidentEvent", "rejectedPayload", "webhookDelivery",
        ]
        let empty = try await store.counts()
        #expect(kinds.map { empty[$0] } == kinds.map { _ in 0 })
        var delivery = raw()
        delivery.deliveryID = "delivery-1"
        let ids = try await store.accept(Intake(drafts: [draft("n1"), draft("n2")], raw: delivery)).incidents.map(\.id)
        let items = try await store.claim(limit: 2, owner: "worker", now: t0, lease: .seconds(60))
        let first = try #require(items.first { $0.incident.id == ids[0] })
        let second = try #require(items.first { $0.incident.id == ids[1] })
        try await store.complete(
            first, decision: decision(ids[0], vendor: "acme"), outbox: [message("n1-1", vendor: "acme")],
            clock: SLAClockStart(snapshot: terms("acme"), startedAt: t0), now: t0)
        try await store.complete(second, decision: decision(ids[1], vendor: nil, category: nil), outbox: [], clock: nil, now: t0)
        let claimed = try #require(try await store.claimDue(limit: 1, owner: "d", now: t0, lease: .seconds(60)).first)
        try await store.record(
            DeliveryAttempt(number: 1, startedAt: t0, durationMilliseconds: 1, httpStatus: 503, failure: .classify(status: 503)),
            for: claimed, then: .retry(at: t0 + 10))
        try await store.recordRejected(raw(), reason: "bad")
        var events = 0
        for id in ids { events += try await detail(store, id).events.count }
        let counts = try await store.counts()
        let expected: [String: Int] = [
            "incident": 2, "rawPayload": 1, "workItem": 2, "decision": 2, "outboxMessage": 1, "deliveryAttempt": 1,
            "slaClock": 1, "slaTimer": 2, "incidentEvent": events, "rejectedPayload": 1, "webhookDelivery": 1,
        ]
        #expect(kinds.map { counts[$0] } == kinds.map { expected[$0] })
        #expect(events == 4)
    }
}
