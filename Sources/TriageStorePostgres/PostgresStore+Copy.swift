import Foundation
import Logging
import PostgresNIO
import TriageEngine

extension PostgresStore {
    /// Whether every table is empty (`triage migrate` copies only into an empty database).
    public func isEmpty() async throws -> Bool {
        try await rowCounts().values.allSatisfy { $0 == 0 }
    }

    /// Rows per table, to check a copy.
    public func rowCounts() async throws -> [String: Int] {
        try await read { connection in
            var counts: [String: Int] = [:]
            for table in TableRows.tables {
                counts[table] = try await connection.row(
                    PostgresQuery(unsafeSQL: "SELECT COUNT(*) AS n FROM \(table)"), logger: logger)?.get("n", as: Int.self) ?? 0
            }
            return counts
        }
    }

    /// Inserts a batch of copied rows as they are, in one transaction. Table and column names
    /// come from ``TableRows/tables`` and the source store's schema, never from input text.
    public func insert(_ batch: TableRows) async throws {
        guard TableRows.tables.contains(batch.table), !batch.rows.isEmpty,
            batch.columns.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } })
        else { return }
        // At most 65,535 parameters per statement.
        let perStatement = max(1, 30_000 / max(batch.columns.count, 1))
        try await transaction { connection in
            var start = 0
            while start < batch.rows.count {
                let slice = batch.rows[start..<min(start + perStatement, batch.rows.count)]
                var binds = PostgresBindings(capacity: slice.count * batch.columns.count)
                var tuples: [String] = []
                var number = 0
                for row in slice {
                    var placeholders: [String] = []
                    for value in row {
                        number += 1
                        placeholders.append("$\(number)")
                        switch value {
                        case .null: binds.appendNull()
                        case .integer(let integer): binds.append(integer)
                        case .real(let real): binds.append(real)
                        case .text(let text): binds.append(text)
                        case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
                        }
                    }
                    tuples.append("(\(placeholders.joined(separator: ", ")))")
                }
                let sql = "INSERT INTO \(batch.table) (\(batch.columns.joined(separator: ", "))) VALUES "
                    + tuples.joined(separator: ", ")
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                start += slice.count
            }
        }
    }

    /// Moves every identity sequence past the largest copied id, so new rows do not collide.
    public func resetIdentities() async throws {
        try await transaction { connection in
            for table in ["rawPayload", "deliveryAttempt", "slaTimer", "incidentEvent", "rejectedPayload", "auditEvent"] {
                try await connection.run(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table.lowercased())', 'id'),
                                GREATEST((SELECT MAX(id) FROM \(table)), 1))
                            """), logger: logger)
            }
        }
    }
}

extension PostgresStore {
    public struct CopyError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Copies every row `reader` yields into this (empty) database and moves the identity
    /// sequences on; returns the rows per table now here.
    public func copy(
        from reader: ((TableRows) async throws -> Void) async throws -> Void
    ) async throws -> [String: Int] {
        guard try await isEmpty() else {
            throw CopyError(description: "the target database already holds triage data; copy into an empty database")
        }
        try await reader { batch in try await insert(batch) }
        try await resetIdentities()
        return try await rowCounts()
    }
}
