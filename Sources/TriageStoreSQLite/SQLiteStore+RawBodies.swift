import Foundation
import GRDB
import TriageEngine

extension SQLiteStore: RawBodyStore {
    public func rawBodies(after: Int64, limit: Int) async throws -> [StoredBody] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, body FROM rawPayload WHERE id > ? AND length(body) > 0 ORDER BY id LIMIT ?",
                arguments: [after, limit]
            ).map { StoredBody(id: $0["id"], body: Array($0["body"] as Data)) }
        }
    }

    public func replaceRawBody(id: Int64, expected: [UInt8], with body: [UInt8]) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE rawPayload SET body = ? WHERE id = ? AND body = ?", arguments: [Data(body), id, Data(expected)])
            return db.changesCount == 1
        }
    }

    public func rejectedBodies(after: Int64, limit: Int) async throws -> [StoredText] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, body FROM rejectedPayload WHERE id > ? AND length(body) > 0 ORDER BY id LIMIT ?",
                arguments: [after, limit]
            ).map { StoredText(id: $0["id"], body: String(decoding: $0["body"] as Data, as: UTF8.self)) }
        }
    }

    public func replaceRejectedBody(id: Int64, expected: String, with body: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE rejectedPayload SET body = ? WHERE id = ? AND body = ?",
                arguments: [Data(body.utf8), id, Data(expected.utf8)])
            return db.changesCount == 1
        }
    }
}
