import Foundation
import PostgresNIO
import TriageEngine

extension PostgresStore: RawBodyStore {
    public func rawBodies(after: Int64, limit: Int) async throws -> [StoredBody] {
        try await read { c in
            try await c.rows(
                "SELECT id, body FROM rawPayload WHERE id > \(after) AND length(body) > 0 ORDER BY id LIMIT \(limit)",
                logger: logger
            ).map { StoredBody(id: try $0.get("id"), body: Array(try $0.get("body", as: Data.self))) }
        }
    }

    public func replaceRawBody(id: Int64, expected: [UInt8], with body: [UInt8]) async throws -> Bool {
        try await read { c in
            try await c.run(
                """
                UPDATE rawPayload SET body = \(Data(body)) WHERE id = \(id) AND body = \(Data(expected))
                RETURNING 1
                """, logger: logger) == 1
        }
    }

    public func rejectedBodies(after: Int64, limit: Int) async throws -> [StoredText] {
        try await read { c in
            try await c.rows(
                "SELECT id, body FROM rejectedPayload WHERE id > \(after) AND length(body) > 0 ORDER BY id LIMIT \(limit)",
                logger: logger
            ).map {
                StoredText(id: try $0.get("id"), body: String(decoding: try $0.get("body", as: Data.self), as: UTF8.self))
            }
        }
    }

    public func replaceRejectedBody(id: Int64, expected: String, with body: String) async throws -> Bool {
        try await read { c in
            try await c.run(
                """
                UPDATE rejectedPayload SET body = \(Data(body.utf8)) WHERE id = \(id)
                    AND body = \(Data(expected.utf8)) RETURNING 1
                """, logger: logger) == 1
        }
    }
}
