import Foundation
import GRDB
import TriageEngine

extension SQLiteStore {
    public func recordRejected(_ rejected: RejectedPayload, keep: Int) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO rejectedPayload (source, contentType, body, receivedAt, reason, status, bodyBytes, truncated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    rejected.source, rejected.contentType, Data(rejected.body.utf8), rejected.receivedAt.millis,
                    rejected.reason, rejected.status, rejected.bodyBytes, rejected.truncated,
                ]
            )
            try db.execute(
                sql: "DELETE FROM rejectedPayload WHERE id <= (SELECT MAX(id) FROM rejectedPayload) - ?",
                arguments: [keep]
            )
        }
    }

    public func rejectedPayloads(source: String?, limit: Int) async throws -> [RejectedPayload] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM rejectedPayload WHERE (? IS NULL OR source = ?) ORDER BY id DESC LIMIT ?
                    """,
                arguments: [source, source, limit]
            )
            return rows.map { row in
                let body: Data = row["body"]
                return RejectedPayload(
                    id: row["id"], source: row["source"], status: row["status"], reason: row["reason"],
                    contentType: row["contentType"], body: String(decoding: body, as: UTF8.self),
                    bodyBytes: row["bodyBytes"], truncated: row["truncated"], receivedAt: Date(millis: row["receivedAt"]))
            }
        }
    }
}
