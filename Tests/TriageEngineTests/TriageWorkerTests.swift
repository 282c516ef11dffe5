import Foundation
import Logging
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting

struct TriageWorkerTests {
    let logger = Logger(label: "test")
    let vendor = Vendor(
        name: "acme", endpoint: "http://127.0.0.1:1/acme", skills: ["database"],
        contract: Contract(targets: [.p1: SLATarget(acknowledge: .seconds(600), resolve: .seconds(7200))]))

    var policy: TriagePolicy {
        TriagePolicy(
            rules: RuleSet(rules: [
                Rule(name: "db", when: .text(.text, .containsAny(["database"])),
                     then: RuleActions(category: "database", priority: .p1))
            ]),
            vendors: [vendor])
    }

    @Test func triagesQueuedIncidentsIntoDecisionOutboxAndTimers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let raw = RawPayload(source: "generic", contentType: nil, body: [], receivedAt: clock.now())
        let ids = try await store.accept(
            [IncidentDraft(source: "generic", title: "database down"), IncidentDraft(source: "generic", title: "printer jam")],
            raw: raw
        ).map(\.id)
        let worker = TriageWorker(queue: store, policies: PolicyHolder(policy), clock: clock, configuration: .init(owner: "w"), logger: logger)
        clock.advance(by: .seconds(5))
        #expect(try await worker.runOnce() == 2)
        #expect(try await worker.runOnce() == 0)

        let db = try #require(try await store.incident(ids[0]))
        #expect(db.decision?.vendor == "acme")
        #expect(db.incident.status == .assigned)
        #expect(db.timers.map(\.dueAt) == [clock.now().addingTimeInterval(600), clock.now().addingTimeInterval(7200)])
        let message = try #require(db.deliveries.first)
        #expect(message.endpoint == "http://127.0.0.1:1/acme")
        #expect(message.messageID == "\(ids[0])-1")

        let printer = try #require(try await store.incident(ids[1]))
        #expect(printer.decision?.abstained == true)
        #expect(printer.decision?.vendor == nil)
        #expect(printer.deliveries.isEmpty)
        #expect(printer.timers.isEmpty)
        #expect(printer.incident.status == .open)
    }

    @Test func incidentResolvedBeforeTriageIsRecordedButNotDispatched() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let raw = RawPayload(source: "generic", contentType: nil, body: [], receivedAt: clock.now())
        let id = try await store.accept([IncidentDraft(source: "generic", dedupKey: "k", title: "database down")], raw: raw)[0].id
        _ = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "k", title: "database down", action: .resolve)], raw: raw)
        let worker = TriageWorker(queue: store, policies: PolicyHolder(policy), clock: clock, configuration: .init(owner: "w"), logger: logger)
        #expect(try await worker.runOnce() == 1)
        let detail = try #require(try await store.incident(id))
        #expect(detail.decision?.explanation.last == "incident was resolved before triage; nothing dispatched, no clock started")
        #expect(detail.deliveries.isEmpty)
        #expect(detail.timers.isEmpty)
        #expect(detail.incident.status == .resolved)
    }

    @Test func vendorMessageBodyIsStableJSON() throws {
        var generator = SystemRandomNumberGenerator()
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let incident = Incident(
            id: IncidentID(now: now, using: &generator),
            draft: IncidentDraft(source: "generic", title: "database down", labels: ["b": "2", "a": "1"]),
            receivedAt: now, rawPayloadID: 1)
        let decision = policy.triage(incident, now: now)
        let message = VendorMessage(messageID: "m", incident: incident, decision: decision, vendor: "acme")
        let bytes = try message.encoded()
        #expect(try message.encoded() == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""labels":{"a":"1","b":"2"}"#))
        #expect(text.contains(#""acknowledge_by":"2026-09-21T14:23:20.000Z""#))
        let decoded = try JSONDecoder().decode(VendorMessage.self, from: Data(bytes))
        #expect(decoded == message)
    }
}

struct TriageWorkerPoisonTests {
    @Test func itemWhoseLeaseKeepsExpiringIsParkedAsFailed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let raw = RawPayload(source: "generic", contentType: nil, body: [], receivedAt: clock.now())
        let id = try await store.accept([IncidentDraft(source: "generic", title: "crashes the worker")], raw: raw)[0].id
        // Three workers claim it and die (their leases run out).
        for _ in 0..<3 {
            #expect(try await store.claim(limit: 1, owner: "dead", now: clock.now(), lease: .seconds(60)).count == 1)
            clock.advance(by: .seconds(61))
        }
        var configuration = TriageWorker<TestClock>.Configuration(owner: "w")
        configuration.maxAttempts = 3
        let worker = TriageWorker(
            queue: store, policies: PolicyHolder(TriagePolicy(rules: RuleSet(rules: []), vendors: [])), clock: clock,
            configuration: configuration, logger: Logger(label: "test"))
        #expect(try await worker.runOnce() == 1)
        let detail = try #require(try await store.incident(id))
        #expect(detail.queueState == "failed")
        #expect(detail.decision == nil)
        #expect(detail.events.last?.kind == "triage-failed")
        clock.advance(by: .seconds(3600))
        #expect(try await worker.runOnce() == 0)
    }
}
