import Foundation
import Logging
import PostgresNIO
import Testing
import TriageTesting
import TriageCore
import TriageEngine
@testable import TriageStorePostgres

/// Drafts, decisions, messages and SQL probes shared by the queue and outbox suites.
protocol QueueFixtures: Sendable {
    var t0: Date { get }
}

/// How a concurrent completion ended.
enum CompletionOutcome: Sendable, Equatable {
    case completed
    case refused(WorkQueueError)
}

extension QueueFixtures {
    func raw(at: Date? = nil) -> RawPayload {
        RawPayload(source: "generic", contentType: "application/json", body: Array("{}".utf8), receivedAt: at ?? t0)
    }

    func draft(_ key: String) -> IncidentDraft {
        IncidentDraft(source: "generic", dedupKey: key, title: "Incident \(key)", severity: .error)
    }

    func decision(_ item: WorkItem, vendor: String?, priority: Priority = .p3) -> Decision {
        Decision(
            incidentID: item.incident.id, decidedAt: t0, category: "c", priority: priority, vendor: vendor, abstained: false,
            matchedRules: ["r"], sla: nil, explanation: ["because"])
    }

    func message(_ item: WorkItem, _ vendor: String, id: String? = nil, endpoint: String = "http://127.0.0.1:1/")
        -> NewOutboxMessage
    {
        NewOutboxMessage(id: id ?? "m-\(item.incident.id.rawValue)", vendor: vendor, endpoint: endpoint, body: Array("{}".utf8))
    }

    func attempt(_ number: Int, status: Int? = nil, failure: DeliveryFailure? = nil) -> DeliveryAttempt {
        DeliveryAttempt(number: number, startedAt: t0, durationMilliseconds: 3, httpStatus: status, failure: failure)
    }

    /// `count` incidents triaged to acme, each with one message `m-<n>` (queued in that order, so
    /// claims return them by id); returns the message ids.
    func seedMessages(
        _ store: PostgresStore, count: Int, endpoint: (Int) -> String = { _ in "http://127.0.0.1:1/" }
    ) async throws -> [String] {
        _ = try await store.accept((0..<count).map { draft("o\($0)") }, raw: raw())
        let items = try await store.claim(limit: count, owner: "w", now: t0, lease: .seconds(60))
        var ids: [String] = []
        for (index, item) in items.enumerated() {
            let id = "m-\(index)"
            try await store.complete(
                item, decision: decision(item, vendor: "acme"),
                outbox: [message(item, "acme", id: id, endpoint: endpoint(index))], clock: nil, now: t0)
            ids.append(id)
        }
        return ids
    }

    func count(_ store: PostgresStore, _ sql: String) async throws -> Int {
        try await store.read { c in
            try await c.row(PostgresQuery(unsafeSQL: sql), logger: store.logger)?.get("n", as: Int.self) ?? -1
        }
    }

    func texts(_ store: PostgresStore, _ sql: String) async throws -> [String] {
        try await store.read { c in
            try await c.rows(PostgresQuery(unsafeSQL: sql), logger: store.logger).map { try $0.get("t", as: String.self) }
        }
    }

    func kinds(_ store: PostgresStore, _ incident: String) async throws -> [String] {
        try await store.read { c in
            try await c.rows("SELECT kind FROM incidentEvent WHERE incidentId = \(incident) ORDER BY id", logger: store.logger)
                .map { try $0.get("kind", as: String.self) }
        }
    }
}

extension OutboxMessage {
    /// The same message as claimed by `owner`.
    func with(owner: String) -> OutboxMessage {
        var message = self
        message.owner = owner
        return message
    }
}
