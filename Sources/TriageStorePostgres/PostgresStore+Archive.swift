import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: IncidentArchiveStore {
    /// Every incident (or those assigned or delivered to `vendor`), oldest first, each with its raw
    /// payload; read in one snapshot.
    public func archives(vendor: String?) async throws -> [IncidentArchive] {
        try await readSnapshot { c in
            let ids = try await c.rows(
                """
                SELECT i.id FROM incident i WHERE \(vendor)::text IS NULL
                    OR EXISTS (SELECT 1 FROM decision d WHERE d.incidentId = i.id AND d.vendor = \(vendor)::text)
                    OR EXISTS (SELECT 1 FROM outboxMessage o WHERE o.incidentId = i.id AND o.vendor = \(vendor)::text)
                ORDER BY i.receivedAt, i.id COLLATE "C"
                """, logger: logger
            ).map { try $0.get("id", as: String.self) }
            var result: [IncidentArchive] = []
            for key in ids {
                guard let detail = try await Self.incidentDetail(c, id: key, logger: logger) else { continue }
                let incident = detail.incident
                let payload = try await c.row(
                    "SELECT * FROM rawPayload WHERE id = \(incident.rawPayloadID)", logger: logger)
                let body = try payload?.get("body", as: Data.self) ?? Data()
                result.append(
                    IncidentArchive(
                        payload: .init(
                            id: incident.rawPayloadID, source: try payload?.get("source", as: String.self) ?? incident.source,
                            contentType: try payload?.get("contenttype", as: String?.self),
                            body: PayloadCipher.archiveText(Array(body)),
                            receivedAt: (try payload?.get("receivedat", as: Int64.self)).map(Date.init(millis:))
                                ?? incident.receivedAt),
                        detail: detail))
            }
            return result
        }
    }

    /// Writes archived incidents in one transaction; an incident whose id exists is skipped. Raw
    /// payloads keep their ids, so the id sequence is moved past them afterwards.
    public func restore(_ archives: [IncidentArchive]) async throws -> Int {
        try await transaction { c in
            var written = 0
            for archive in archives {
                if try await Self.restoreOne(archive, c, logger: logger) { written += 1 }
            }
            try await c.run(
                "SELECT setval(pg_get_serial_sequence('rawpayload', 'id'), GREATEST((SELECT MAX(id) FROM rawPayload), 1))",
                logger: logger)
            return written
        }
    }

    /// Writes one archived incident; `false` when an incident with its id exists.
    static func restoreOne(_ archive: IncidentArchive, _ c: PostgresConnection, logger: Logger) async throws -> Bool {
        let incident = archive.detail.incident
        let id = incident.id.rawValue
        guard try await c.row("SELECT 1 FROM incident WHERE id = \(id)", logger: logger) == nil else { return false }
        let payload = archive.payload
        try await c.query(
            """
            INSERT INTO rawPayload (id, source, contentType, body, receivedAt)
            VALUES (\(payload.id), \(payload.source), \(payload.contentType), \(Data(PayloadCipher.storedBytes(fromArchiveText: payload.body))), \(payload.receivedAt.millis))
            ON CONFLICT (id) DO NOTHING
            """, logger: logger)
        let labels = try PGIncidentLifecycle.labelsJSON(incident.labels)
        // An incident with this id written meanwhile by another restore: skipped, as an existing one is.
        let inserted = try await c.run(
            """
            INSERT INTO incident (id, source, externalId, dedupKey, title, description, severity, labels, service,
                status, occurredAt, receivedAt, updatedAt, rawPayloadId, occurrences, lastSeenAt, acknowledgedAt,
                resolvedAt, link)
            VALUES (\(id), \(incident.source), \(incident.externalID), \(incident.dedupKey), \(incident.title),
                \(incident.description), \(incident.severity.rawValue), \(labels), \(incident.service),
                \(incident.status.rawValue), \(incident.occurredAt.millis), \(incident.receivedAt.millis),
                \(incident.lastSeenAt.millis), \(payload.id), \(incident.occurrences), \(incident.lastSeenAt.millis),
                \(incident.acknowledgedAt?.millis), \(incident.resolvedAt?.millis), \(incident.link))
            ON CONFLICT (id) DO NOTHING
            RETURNING 1
            """, logger: logger)
        guard inserted > 0 else { return false }
        if let state = archive.detail.queueState {
            let status = state == "leased" ? "queued" : state
            let at = incident.receivedAt.millis
            try await c.query(
                """
                INSERT INTO workItem (incidentId, status, attempts, availableAt, enqueuedAt)
                VALUES (\(id), \(status), 0, \(at), \(at))
                """, logger: logger)
            if status == "queued" { try await c.query("NOTIFY triage_work", logger: logger) }
        }
        if let decision = archive.detail.decision {
            let body = String(decoding: try JSONEncoder.sorted.encode(decision), as: UTF8.self)
            try await c.query(
                """
                INSERT INTO decision (incidentId, decidedAt, category, priority, vendor, abstained, body)
                VALUES (\(id), \(decision.decidedAt.millis), \(decision.category), \(decision.priority.rawValue),
                    \(decision.vendor), \(decision.abstained ? 1 : 0), \(body))
                """, logger: logger)
        }
        for delivery in archive.detail.deliveries {
            try await c.query(
                """
                INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts, nextAttemptAt,
                    createdAt, deliveredAt)
                VALUES (\(delivery.messageID), \(id), \(delivery.vendor), \(delivery.endpoint), \(Data()), \(delivery.status),
                    \(delivery.attempts.count), \((delivery.nextAttemptAt ?? incident.receivedAt).millis),
                    \(incident.receivedAt.millis), \(delivery.deliveredAt?.millis))
                """, logger: logger)
            for attempt in delivery.attempts {
                try await c.query(
                    """
                    INSERT INTO deliveryAttempt (messageId, number, startedAt, durationMs, httpStatus, failureReason,
                        failureMessage)
                    VALUES (\(delivery.messageID), \(attempt.number), \(attempt.startedAt.millis),
                        \(attempt.durationMilliseconds), \(attempt.httpStatus), \(attempt.failure?.reason.rawValue),
                        \(attempt.failure?.message))
                    """, logger: logger)
            }
        }
        for timer in archive.detail.timers {
            try await c.query(
                """
                INSERT INTO slaTimer (incidentId, generation, kind, step, occurrence, dueAt, status, firedAt, late, label)
                VALUES (\(id), \(timer.generation ?? 0), \(timer.kind.rawValue), \(timer.step ?? -1), \(timer.occurrence ?? 0),
                    \(timer.dueAt.millis), \(timer.status), \(timer.firedAt?.millis), \((timer.late ?? false) ? 1 : 0),
                    \(timer.label))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        for event in archive.detail.events {
            try await PGRows.event(c, id, event.at.millis, event.kind, event.detail, logger: logger)
        }
        return true
    }
}
