import Foundation
import GRDB
import TriageCore
import TriageEngine

/// The embedded store: one SQLite file in WAL mode, `synchronous = FULL`, every port of the engine.
///
/// A webhook is durable once ``accept(_:raw:)`` returns: the transaction holding its raw payload,
/// incident and queue row has been fsynced. Open one store per file per process.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    /// The path of the database file.
    public let path: String

    /// Opens (creating when missing) the database at `path` and runs pending migrations.
    ///
    /// Creates the parent directory when it does not exist.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "triage"
        pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool sets synchronous=NORMAL on its writer after prepareDatabase; FULL has to be
        // set afterwards, on the writer connection, or it is silently lost.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try Self.migrator.migrate(pool)
    }

    /// The journal mode and synchronous level the writer connection runs with (for tests and `/readyz`).
    public func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try pool.writeWithoutTransaction { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?"
            let sync = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (mode, sync)
        }
    }

    /// Names of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }
}

extension Date {
    /// Milliseconds since 1970, the storage form of every instant.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}
