import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: IncidentStore {
    public func accept(_ drafts: [IncidentDraft], raw: RawPayload) async throws -> [AcceptedIncident] {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO rawPayload (source, contentType, body, receivedAt) VALUES (?, ?, ?, ?)",
                arguments: [raw.source, raw.contentType, Data(raw.body), raw.receivedAt.millis]
            )
            let rawID = db.lastInsertedRowID
            var generator = SystemRandomNumberGenerator()
            return try drafts.map { draft in
                try Self.accept(draft, rawID: rawID, now: raw.receivedAt, db: db, generator: &generator)
            }
        }
    }

    static func accept(
        _ draft: IncidentDraft,
        rawID: Int64,
        now: Date,
        db: Database,
        generator: inout SystemRandomNumberGenerator
    ) throws -> AcceptedIncident {
        let ms = now.millis
        if let openID = try String.fetchOne(
            db,
            sql: "SELECT id FROM incident WHERE source = ? AND dedupKey = ? AND status != 'resolved'",
            arguments: [draft.source, draft.dedupKey]
        ), let id = IncidentID(openID) {
            if draft.resolved {
                try db.execute(
                    sql: "UPDATE incident SET status = 'resolved', updatedAt = ? WHERE id = ?",
                    arguments: [ms, openID]
                )
                try db.execute(
                    sql: "UPDATE slaTimer SET status = 'stopped' WHERE incidentId = ? AND status = 'pending'",
                    arguments: [openID]
                )
                try event(db, openID, ms, "resolved", "resolved by source '\(draft.source)' (payload \(rawID))")
                return AcceptedIncident(id: id, outcome: .resolved)
            }
            try db.execute(sql: "UPDATE incident SET updatedAt = ? WHERE id = ?", arguments: [ms, openID])
            try event(db, openID, ms, "refired", "same dedup key re-sent (payload \(rawID))")
            return AcceptedIncident(id: id, outcome: .deduplicated)
        }
        let id = IncidentID(now: now, using: &generator)
        let incident = Incident(id: id, draft: draft, receivedAt: now, rawPayloadID: rawID)
        let labels = String(decoding: try JSONEncoder.sorted.encode(incident.labels), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO incident (id, source, externalId, dedupKey, title, description, severity, labels,
                    service, status, occurredAt, receivedAt, updatedAt, rawPayloadId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id.rawValue, incident.source, incident.externalID, incident.dedupKey, incident.title,
                incident.description, incident.severity.rawValue, labels, incident.service,
                incident.status.rawValue, incident.occurredAt.millis, ms, ms, rawID,
            ]
        )
        if draft.resolved {
            try event(db, id.rawValue, ms, "received", "arrived resolved; nothing to triage (payload \(rawID))")
            return AcceptedIncident(id: id, outcome: .storedResolved)
        }
        try db.execute(
            sql: """
                INSERT INTO workItem (incidentId, status, attempts, availableAt, enqueuedAt)
                VALUES (?, 'queued', 0, ?, ?)
                """,
            arguments: [id.rawValue, ms, ms]
        )
        try event(db, id.rawValue, ms, "received", "queued for triage (payload \(rawID))")
        return AcceptedIncident(id: id, outcome: .created)
    }

    static func event(_ db: Database, _ incidentID: String, _ at: Int64, _ kind: String, _ detail: String) throws {
        try db.execute(
            sql: "INSERT INTO incidentEvent (incidentId, at, kind, detail) VALUES (?, ?, ?, ?)",
            arguments: [incidentID, at, kind, detail]
        )
    }

    public func recordRejected(_ raw: RawPayload, reason: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO rejectedPayload (source, contentType, body, receivedAt, reason) VALUES (?, ?, ?, ?, ?)",
                arguments: [raw.source, raw.contentType, Data(raw.body), raw.receivedAt.millis, reason]
            )
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
