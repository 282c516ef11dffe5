import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TriageEngine
import TriageStorePostgres
import TriageStoreSQLite

/// A store opened from a `--store` URL, for `serve` and the operator commands alike.
struct OpenedStore {
    let store: any TriageStore
    /// Set for PostgreSQL: the listener that wakes idle loops when another instance queues work.
    let postgres: PostgresStore?

    /// Opens `text`; failures print what is wrong (never a password) and exit.
    /// - Parameter mustExist: An operator command on a SQLite file that is not there says so
    ///   instead of creating an empty store.
    static func open(
        _ text: String, sqliteSync: SQLiteStore.Durability = .full, mustExist: Bool, logger: Logger = Logger(label: "triage")
    ) async throws -> OpenedStore {
        let url: StoreURL
        do {
            url = try StoreURL(parsing: text)
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        switch url {
        case .sqlite(let path):
            if mustExist, !FileManager.default.fileExists(atPath: path) {
                FileHandle.standardError.write(Data("no store at \(path)\n".utf8))
                throw ExitCode(1)
            }
            do {
                return OpenedStore(store: try SQLiteStore(path: path, durability: sqliteSync), postgres: nil)
            } catch {
                FileHandle.standardError.write(Data("cannot open store \(path): \(error)\n".utf8))
                throw ExitCode(1)
            }
        case .postgres(let settings):
            do {
                let store = try await PostgresStore.open(settings, logger: logger)
                return OpenedStore(store: store, postgres: store)
            } catch {
                FileHandle.standardError.write(
                    Data("cannot open store \(settings.redacted): \(PostgresStore.describe(error))\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// The LISTEN/NOTIFY wake-ups for `TriageServer`, on PostgreSQL.
    func wakeUps(logger: Logger) -> (@Sendable (WakeUpBells) -> any Service)? {
        guard let postgres else { return nil }
        return { bells in WakeUpListener(store: postgres, bells: bells, logger: logger) }
    }

    func close() {
        postgres?.close()
    }
}
