import Foundation
import GRDB
import TriageEngine

extension SQLiteStore {
    /// Reads every table in ``TableRows/tables`` order, `batchSize` rows at a time (in rowid
    /// order where the table has one), for `triage migrate`.
    public func copyTables(batchSize: Int = 1_000, _ each: (TableRows) async throws -> Void) async throws {
        for table in TableRows.tables {
            let (columns, hasRowID) = try await pool.read { db -> ([String], Bool) in
                let columns = try db.columns(in: table).map(\.name)
                let withoutRowID = try String.fetchOne(
                    db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]
                )?.uppercased().contains("WITHOUT ROWID") ?? false
                return (columns, !withoutRowID)
            }
            let list = columns.joined(separator: ", ")
            var after: Int64 = .min
            while true {
                let from = after
                let (rows, last) = try await pool.read { db -> ([[StoredValue]], Int64?) in
                    let sql = hasRowID
                        ? "SELECT rowid AS _rowid, \(list) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?"
                        : "SELECT \(list) FROM \(table)"
                    let fetched = try Row.fetchAll(db, sql: sql, arguments: hasRowID ? [from, batchSize] : [])
                    let values = fetched.map { row in columns.map { Self.storedValue(row[$0] as DatabaseValue) } }
                    return (values, hasRowID ? fetched.last.map { $0["_rowid"] as Int64 } : nil)
                }
                if !rows.isEmpty { try await each(TableRows(table: table, columns: columns, rows: rows)) }
                guard hasRowID, let last, rows.count == batchSize else { break }
                after = last
            }
        }
    }

    /// Rows per table, to check a copy.
    public func rowCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for table in TableRows.tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    static func storedValue(_ value: DatabaseValue) -> StoredValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .blob(Array(data))
        }
    }
}
