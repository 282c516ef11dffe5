import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: IncidentArchiveStore {
    public func archives(vendor: String?) async throws -> [IncidentArchive] {
        let ids = try await pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT i.id FROM incident i WHERE ? IS NULL
                        OR EXISTS (SELECT 1 FROM decision d WHERE d.incidentId = i.id AND d.vendor = ?)
                        OR EXISTS (SELECT 1 FROM outboxMessage o WHERE o.incidentId = i.id AND o.vendor = ?)
                    ORDER BY i.receivedAt, i.id
                    """, arguments: [vendor, vendor, vendor])
        }
        var result: [IncidentArchive] = []
        for text in ids {
            guard let id = IncidentID(text), let detail = try await incident(id) else { continue }
            let payload = try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM rawPayload WHERE id = ?", arguments: [detail.incident.rawPayloadID])
            }
            let body: Data = payload?["body"] ?? Data()
            result.append(
                IncidentArchive(
                    payload: .init(
                        id: detail.incident.rawPayloadID, source: payload?["source"] ?? detail.incident.source,
                        contentType: payload?["contentType"], body: PayloadCipher.archiveText(Array(body)),
                        receivedAt: (payload?["receivedAt"] as Int64?).map(Date.init(millis:)) ?? detail.incident.receivedAt),
                    detail: detail))
        }
        return result
    }

    public func restore(_ archives: [IncidentArchive]) async throws -> Int {
        try await pool.write { db in
            var written = 0
            for archive in archives {
                let incident = archive.detail.incident
                let id = incident.id.rawValue
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM incident WHERE id = ?", arguments: [id]) == nil else { continue }
                try db.execute(
                    sql: "INSERT OR IGNORE INTO rawPayload (id, source, contentType, body, receivedAt) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        archive.payload.id, archive.payload.source, archive.payload.contentType,
                        Data(PayloadCipher.storedBytes(fromArchiveText: archive.payload.body)),
                        archive.payload.receivedAt.millis,
                    ])
                try db.execute(
                    sql: """
                        INSERT INTO incident (id, source, externalId, dedupKey, title, description, severity, labels, service,
                            status, occurredAt, receivedAt, updatedAt, rawPayloadId, occurrences, lastSeenAt, acknowledgedAt,
                            resolvedAt, link)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, incident.source, incident.externalID, incident.dedupKey, incident.title, incident.description,
                        incident.severity.rawValue, LabelsJSON.encode(incident.labels), incident.service,
                        incident.status.rawValue, incident.occurredAt.millis, incident.receivedAt.millis,
                        incident.lastSeenAt.millis, archive.payload.id, incident.occurrences, incident.lastSeenAt.millis,
                        incident.acknowledgedAt?.millis, incident.resolvedAt?.millis, incident.link,
                    ])
                if let state = archive.detail.queueState {
                    try db.execute(
                        sql: "INSERT INTO workItem (incidentId, status, attempts, availableAt, enqueuedAt) VALUES (?, ?, 0, ?, ?)",
                        arguments: [id, state == "leased" ? "queued" : state, incident.receivedAt.millis, incident.receivedAt.millis])
                }
                if let decision = archive.detail.decision {
                    let body = String(decoding: try JSONEncoder.sorted.encode(decision), as: UTF8.self)
                    try db.execute(
                        sql: """
                            INSERT INTO decision (incidentId, decidedAt, category, priority, vendor, abstained, body)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            id, decision.decidedAt.millis, decision.category, decision.priority.rawValue, decision.vendor,
                            decision.abstained, body,
                        ])
                }
                for delivery in archive.detail.deliveries {
                    try db.execute(
                        sql: """
                            INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts, nextAttemptAt,
                                createdAt, deliveredAt)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            delivery.messageID, id, delivery.vendor, delivery.endpoint, Data(), delivery.status,
                            delivery.attempts.count, (delivery.nextAttemptAt ?? incident.receivedAt).millis,
                            incident.receivedAt.millis, delivery.deliveredAt?.millis,
                        ])
                    for attempt in delivery.attempts {
                        try db.execute(
                            sql: """
                                INSERT INTO deliveryAttempt (messageId, number, startedAt, durationMs, httpStatus, failureReason,
                                    failureMessage)
                                VALUES (?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                delivery.messageID, attempt.number, attempt.startedAt.millis, attempt.durationMilliseconds,
                                attempt.httpStatus, attempt.failure?.reason.rawValue, attempt.failure?.message,
                            ])
                    }
                }
                for timer in archive.detail.timers {
                    try db.execute(
                        sql: """
                            INSERT INTO slaTimer (incidentId, generation, kind, step, occurrence, dueAt, status, firedAt, late, label)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                            """,
                        arguments: [
                            id, timer.generation ?? 0, timer.kind.rawValue, timer.step ?? -1, timer.occurrence ?? 0,
                            timer.dueAt.millis, timer.status, timer.firedAt?.millis, (timer.late ?? false) ? 1 : 0, timer.label,
                        ])
                }
                for event in archive.detail.events {
                    try Self.event(db, id, event.at.millis, event.kind, event.detail)
                }
                written += 1
            }
            return written
        }
    }
}
