import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore {
    /// The incident with its decision, deliveries, timers and events; `nil` when unknown. Read in
    /// one snapshot, so the parts agree with each other while workers change the incident.
    public func incident(_ id: IncidentID) async throws -> IncidentDetail? {
        try await readSnapshot { c in try await Self.incidentDetail(c, id: id.rawValue, logger: logger) }
    }

    /// Everything recorded about one incident, read on `c`.
    static func incidentDetail(_ c: PostgresConnection, id key: String, logger: Logger) async throws -> IncidentDetail? {
        guard let row = try await c.row(
            """
            SELECT *, COALESCE(phase, CASE status WHEN 'open' THEN 'new' ELSE status END) AS currentphase
            FROM incident WHERE id = \(key)
            """, logger: logger),
            let incident = try PGRows.incident(from: row)
        else { return nil }
        let queueState = try await c.row("SELECT status FROM workItem WHERE incidentId = \(key)", logger: logger)?
            .get("status", as: String.self)
        var decision: Decision?
        if let body = try await c.row("SELECT body FROM decision WHERE incidentId = \(key)", logger: logger)?
            .get("body", as: String.self)
        {
            decision = try JSONDecoder().decode(Decision.self, from: Data(body.utf8))
        }
        var deliveries: [DeliveryRecord] = []
        for message in try await c.rows(
            "SELECT * FROM outboxMessage WHERE incidentId = \(key) ORDER BY createdAt, id COLLATE \"C\"", logger: logger)
        {
            let messageID = try message.get("id", as: String.self)
            let status = try message.get("status", as: String.self)
            let attempts = try await c.rows(
                "SELECT * FROM deliveryAttempt WHERE messageId = \(messageID) ORDER BY number", logger: logger
            ).map(deliveryAttempt(from:))
            deliveries.append(
                DeliveryRecord(
                    messageID: messageID,
                    vendor: try message.get("vendor"),
                    endpoint: try message.get("endpoint"),
                    status: status,
                    attempts: attempts,
                    nextAttemptAt: status == "pending" ? Date(millis: try message.get("nextattemptat")) : nil,
                    deliveredAt: (try message.get("deliveredat", as: Int64?.self)).map(Date.init(millis:))
                )
            )
        }
        let timers = try await c.rows(
            """
            SELECT kind, dueAt, status, step, occurrence, generation, firedAt, late, label FROM slaTimer
            WHERE incidentId = \(key) ORDER BY dueAt, id
            """, logger: logger
        ).compactMap { row -> TimerRecord? in
            guard let kind = SLATimer.Kind(rawValue: try row.get("kind")) else { return nil }
            return TimerRecord(
                kind: kind, dueAt: Date(millis: try row.get("dueat")), status: try row.get("status"),
                step: try row.get("step"), label: try row.get("label"), occurrence: try row.get("occurrence"),
                generation: try row.get("generation"),
                firedAt: (try row.get("firedat", as: Int64?.self)).map(Date.init(millis:)),
                late: try row.get("late", as: Int.self) == 1)
        }
        let events = try await c.rows(
            "SELECT at, kind, detail FROM incidentEvent WHERE incidentId = \(key) ORDER BY id", logger: logger
        ).map { EventRecord(at: Date(millis: try $0.get("at")), kind: try $0.get("kind"), detail: try $0.get("detail")) }
        var detail = IncidentDetail(
            incident: incident,
            queueState: queueState,
            decision: decision,
            deliveries: deliveries,
            timers: timers,
            events: events
        )
        detail.phase = (try row.get("currentphase", as: String?.self)).flatMap(IncidentPhase.init(rawValue:))
        detail.vendorTicket = try await c.row(
            """
            SELECT externalRef FROM outboxMessage WHERE incidentId = \(key) AND externalRef IS NOT NULL
            ORDER BY createdAt DESC LIMIT 1
            """, logger: logger)?.get("externalref", as: String?.self)
        return detail
    }

    /// One delivery attempt from a `SELECT * FROM deliveryAttempt` row.
    private static func deliveryAttempt(from row: PostgresRandomAccessRow) throws -> DeliveryAttempt {
        var failure: DeliveryFailure?
        if let reasonText = try row.get("failurereason", as: String?.self) {
            failure = DeliveryFailure(
                reason: DeliveryFailure.Reason(rawValue: reasonText) ?? .transport,
                status: try row.get("httpstatus", as: Int?.self),
                message: try row.get("failuremessage", as: String?.self) ?? ""
            )
        }
        return DeliveryAttempt(
            number: try row.get("number"),
            startedAt: Date(millis: try row.get("startedat")),
            durationMilliseconds: try row.get("durationms"),
            httpStatus: try row.get("httpstatus"),
            failure: failure
        )
    }

    /// Counts of rows per table (keyed by the SQLite store's table names), for tests and operators.
    public func counts() async throws -> [String: Int] {
        try await readSnapshot { c in
            var result: [String: Int] = [:]
            for row in try await c.rows(
                """
                SELECT 'incident' AS name, COUNT(*) AS n FROM incident
                UNION ALL SELECT 'rawPayload', COUNT(*) FROM rawPayload
                UNION ALL SELECT 'workItem', COUNT(*) FROM workItem
                UNION ALL SELECT 'decision', COUNT(*) FROM decision
                UNION ALL SELECT 'outboxMessage', COUNT(*) FROM outboxMessage
                UNION ALL SELECT 'deliveryAttempt', COUNT(*) FROM deliveryAttempt
                UNION ALL SELECT 'slaTimer', COUNT(*) FROM slaTimer
                UNION ALL SELECT 'slaClock', COUNT(*) FROM slaClock
                UNION ALL SELECT 'incidentEvent', COUNT(*) FROM incidentEvent
                UNION ALL SELECT 'rejectedPayload', COUNT(*) FROM rejectedPayload
                UNION ALL SELECT 'webhookDelivery', COUNT(*) FROM webhookDelivery
                """, logger: logger)
            {
                result[try row.get("name", as: String.self)] = try row.get("n", as: Int.self)
            }
            return result
        }
    }

    /// Every incident of `source`, oldest first (for tests and the CLI; not paginated).
    public func incidents(source: String) async throws -> [Incident] {
        try await read { c in
            try await c.rows(
                "SELECT * FROM incident WHERE source = \(source) ORDER BY receivedAt, id COLLATE \"C\"", logger: logger
            ).compactMap { try PGRows.incident(from: $0) }
        }
    }

    /// Runs `body` in a read-only REPEATABLE READ transaction: every query sees one snapshot.
    func readSnapshot<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await read { c in
            try await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                let result = try await body(c)
                try await c.query("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await c.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}
