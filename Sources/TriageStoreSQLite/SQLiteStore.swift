import Foundation
import GRDB
import TriageCore
import TriageEngine

/// The embedded store: one SQLite file in WAL mode, every port of the engine.
///
/// A webhook is durable once ``accept(_:)`` returns: the transaction holding its raw payload,
/// incident and queue row has committed (see ``Durability`` for what survives what). Concurrent
/// webhooks share transactions (group commit). Open one store per file per process.
public final class SQLiteStore: Sendable {
    /// What a committed transaction survives.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous = FULL`: the WAL is fsynced at every commit. Survives a process crash and
        /// a power loss or kernel panic. The default.
        case full
        /// `synchronous = NORMAL`: the WAL is fsynced only at checkpoints. Survives a process crash
        /// (the data is in the OS page cache); a power loss may roll back the last commits.
        case normal
    }

    let pool: DatabasePool
    let batcher: GroupCommit<Intake, IntakeReceipt>
    /// Delivery attempts recorded by concurrent deliveries share transactions too.
    let attempts: GroupCommit<AttemptRecord, Void>
    /// The path of the database file.
    public let path: String
    public let durability: Durability

    /// Opens (creating when missing) the database at `path` and runs pending migrations.
    ///
    /// Creates the parent directory when it does not exist.
    public init(path: String, durability: Durability = .full) throws {
        self.path = path
        self.durability = durability
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "triage"
        let pool = try DatabasePool(path: path, configuration: configuration)
        self.pool = pool
        self.batcher = GroupCommit(
            name: "intake", metrics: ("triage_intake_transactions_total", "triage_intake_batched_webhooks_total")
        ) { intakes in try SQLiteStore.write(intakes, pool: pool) }
        self.attempts = GroupCommit(
            name: "attempts", metrics: ("triage_attempt_transactions_total", "triage_attempt_batched_records_total")
        ) { records in try SQLiteStore.write(records, pool: pool) }
        // DatabasePool sets synchronous=NORMAL on its writer after prepareDatabase; FULL has to be
        // set afterwards, on the writer connection, or it is silently lost.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
            // After a burst the write-ahead log is truncated back to 16 MiB at the next checkpoint
            // instead of keeping its largest size on disk for ever.
            try db.execute(sql: "PRAGMA journal_size_limit = 16777216")
        }
        // Freed pages can be given back (retention's reclaimSpace); before migrating, so a new file needs no VACUUM.
        try Self.useIncrementalVacuum(pool)
        try Self.migrator.migrate(pool)
    }

    deinit {
        batcher.stop()
        attempts.stop()
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
