import ArgumentParser
import Foundation
import Logging
import TriageCore
import TriageEngine
import TriageStorePostgres
import TriageStoreSQLite

/// `triage migrate --from sqlite:PATH --to postgres://…`: copies a SQLite store, every table,
/// into an empty PostgreSQL database, then checks the row counts match.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy everything from a SQLite store into an empty PostgreSQL database.",
        discussion: """
            Stop the SQLite instance first (the copy reads a consistent file only when nothing writes it). \
            The target's schema is created if missing; the copy refuses a target that already holds data. \
            Rows keep their ids, so incident ids, idempotency keys and SLA timers carry over unchanged.
            """)

    @Option(name: .long, help: "The SQLite store: sqlite:PATH.")
    var from: String

    @Option(name: .long, help: "The PostgreSQL database: postgres://USER@HOST[:PORT]/DATABASE.")
    var to: String

    @Option(name: .long, help: "Rows per copied batch (1...10000).")
    var batchSize = 1_000

    func validate() throws {
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size \(batchSize): must be 1...10000") }
        do {
            guard case .sqlite = try StoreURL(parsing: from) else { throw ValidationError("--from: expected sqlite:PATH") }
            guard case .postgres = try StoreURL(parsing: to) else {
                throw ValidationError("--to: expected postgres://USER@HOST[:PORT]/DATABASE")
            }
        } catch let error as StoreURLError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        guard case .sqlite(let path) = try StoreURL(parsing: from), case .postgres(let settings) = try StoreURL(parsing: to)
        else { throw ExitCode(2) }
        guard FileManager.default.fileExists(atPath: path) else {
            FileHandle.standardError.write(Data("no store at \(path)\n".utf8))
            throw ExitCode(1)
        }
        let source = try SQLiteStore(path: path)
        let target: PostgresStore
        do {
            target = try await PostgresStore.open(settings)
        } catch {
            FileHandle.standardError.write(Data("cannot open \(settings.redacted): \(PostgresStore.describe(error))\n".utf8))
            throw ExitCode(1)
        }
        defer { target.close() }
        let expected = try await source.rowCounts()
        let started = ContinuousClock.now
        let copied: [String: Int]
        do {
            copied = try await target.copy(from: { each in try await source.copyTables(batchSize: batchSize, each) })
        } catch {
            FileHandle.standardError.write(Data("migrate: \(PostgresStore.describe(error))\n".utf8))
            throw ExitCode(1)
        }
        var mismatches = 0
        for table in TableRows.tables {
            let want = expected[table] ?? 0
            let have = copied[table] ?? 0
            if want != have { mismatches += 1 }
            print("\(table.padding(toLength: 18, withPad: " ", startingAt: 0)) \(have)\(want == have ? "" : "  (expected \(want))")")
        }
        let seconds = (ContinuousClock.now - started).timeInterval
        guard mismatches == 0 else {
            FileHandle.standardError.write(Data("migrate: \(mismatches) tables differ\n".utf8))
            throw ExitCode(1)
        }
        print("copied \(copied.values.reduce(0, +)) rows from \(path) to \(settings.redacted) in \((seconds * 100).rounded() / 100) s")
    }
}
