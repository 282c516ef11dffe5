import Foundation
import Logging
import NIOCore
import PostgresNIO
import TriageCore
import TriageEngine

/// The distributed store: every port of the engine over one PostgreSQL database, shared by any
/// number of receivers and workers.
///
/// Work items, outbox messages and SLA timers are claimed with `FOR UPDATE SKIP LOCKED` and a
/// lease, so instances never wait for each other's claims and a crashed instance's claims are
/// taken over once its lease runs out. Commits that queue work send `NOTIFY` (delivered at
/// commit) so idle workers wake at once; ``WakeUpListener`` turns them into doorbell rings.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    public let settings: PostgresSettings

    /// Connects, and applies pending migrations (under an advisory lock, so instances starting
    /// together migrate once).
    public static func open(_ settings: PostgresSettings, logger: Logger = Logger(label: "triage.postgres")) async throws
        -> PostgresStore
    {
        let store = PostgresStore(settings: settings, logger: logger)
        do {
            // The pool retries refused connections for ever; a server that is not there is an error here.
            // Only reaching the server is bounded: migrating a busy database may take longer.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await store.read { connection in try await connection.run("SELECT 1", logger: logger) }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(settings.connectTimeout))
                    throw PostgresSettingsError(
                        "no answer within \(settings.connectTimeout) s (is the server running and reachable, and the URL right?)")
                }
                try await group.next()
                group.cancelAll()
            }
            try await store.migrate()
        } catch {
            store.close()
            throw error
        }
        return store
    }

    init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        let client = PostgresClient(configuration: Self.clientConfiguration(settings))
        self.client = client
        self.runner = Task { await client.run() }
    }

    deinit {
        runner.cancel()
    }

    /// Closes every connection. The store cannot be used afterwards.
    public func close() {
        runner.cancel()
    }

    static func clientConfiguration(_ settings: PostgresSettings) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch settings.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: tls)
        configuration.options.maximumConnections = settings.maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(Int64(settings.connectTimeout))
        return configuration
    }

    /// Runs `body` in a transaction (READ COMMITTED); retried up to 5 times when PostgreSQL aborts
    /// it for a deadlock or a serialisation failure, which concurrent instances can cause.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        let result = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return result
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 5 && Self.isRetryable(error) {
                logger.debug("transaction retried", metadata: ["sqlstate": "\(error.serverInfo?[.sqlState] ?? "?")"])
                try await Task.sleep(for: .milliseconds(5 * attempt))
                continue
            }
        }
    }

    /// Runs `body` on one pooled connection, outside a transaction.
    func read<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in try await body(connection) }
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// The SQLSTATE of a server error, when it is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension PostgresConnection {
    /// The rows of `query`, read whole.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// The first row of `query`, if any.
    func row(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger: logger).first
    }

    /// Runs a statement; append `RETURNING 1` to learn how many rows it touched from the count.
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        try await self.query(query, logger: logger).collect().count
    }
}

extension PostgresRandomAccessRow {
    /// The column's value; `Optional` for nullable columns.
    func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

extension Date {
    /// Milliseconds since 1970, the storage form of every instant (as in the SQLite store).
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}

extension JSONEncoder {
    /// Keys sorted, so stored JSON is stable; the same encoding as the SQLite store, so
    /// `triage migrate` copies JSON columns as they are.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension PostgresStore {
    /// A one-line description of a connection or server error for operators: the server's
    /// message and SQLSTATE, or the connection failure, never the password.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }
}
