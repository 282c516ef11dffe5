import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals
import TriageConfig
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage serve`: the receiver, worker and dispatcher in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the webhook receiver, the triage worker and the dispatcher."
    )

    @Option(name: .long, help: "Directory holding sources.yaml, vendors.yaml and rules.yaml.")
    var config = "rules"

    @Option(
        name: .long,
        help: """
            Store URL: sqlite:PATH (one process) or postgres://USER@HOST[:PORT]/DATABASE[?sslmode=…&pool_max=N&password_env=VAR] \
            (several receivers and workers on one database).
            """)
    var store = StoreURL.defaultValue

    @Option(name: .long, help: "Address to listen on. Use 0.0.0.0 to accept remote senders.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on; 0 picks a free one (printed at start).")
    var port = 8080

    @Option(name: .long, help: "Which parts to run: receiver, worker or all.")
    var role = "all"

    @Option(
        name: .long,
        help: """
            SQLite durability: full (fsync at every commit; survives power loss) or normal \
            (survives a process crash; a power loss may roll back the last commits).
            """)
    var sqliteSync = SQLiteStore.Durability.full.rawValue

    @Option(
        name: .long,
        help: """
            Seconds a claimed incident or SLA timer stays with this process; after that another instance \
            takes over the work of one that died (1...3600).
            """)
    var workLease = 60

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): must be 0...65535") }
        guard TriageServer.Role(rawValue: role) != nil else {
            throw ValidationError("--role '\(role)': expected receiver, worker or all")
        }
        guard SQLiteStore.Durability(rawValue: sqliteSync) != nil else {
            throw ValidationError("--sqlite-sync '\(sqliteSync)': expected full or normal")
        }
        guard (1...3600).contains(workLease) else { throw ValidationError("--work-lease \(workLease): must be 1...3600 seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)': expected trace, debug, info, notice, warning, error or critical")
        }
        do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "triage")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let configuration: TriageConfiguration
        do {
            configuration = try ConfigLoader.load(directory: config)
        } catch {
            FileHandle.standardError.write(Data("configuration errors:\n\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let templateProblems = TemplateCheck.problems(configuration, directory: config)
        guard templateProblems.isEmpty else {
            FileHandle.standardError.write(Data("configuration errors:\n\(templateProblems.joined(separator: "\n"))\n".utf8))
            throw ExitCode(2)
        }
        let opened = try await OpenedStore.open(
            store, sqliteSync: SQLiteStore.Durability(rawValue: sqliteSync) ?? .full, mustExist: false, logger: logger)
        defer { opened.close() }
        var options = TriageServer.Options()
        options.host = host
        options.port = port
        options.role = TriageServer.Role(rawValue: role) ?? .all
        options.workLease = .seconds(workLease)
        do {
            options.trainingExamples = try TrainingFiles.load(configuration.classifier)
        } catch {
            FileHandle.standardError.write(Data("classifier training data: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let host = self.host
        let server = TriageServer(
            configuration: configuration,
            store: opened.store,
            clock: SystemClock(),
            options: options,
            metrics: registry,
            reloadFrom: config,
            logger: logger,
            wakeUps: opened.wakeUps(logger: logger),
            onServerRunning: { port in
                FileHandle.standardOutput.write(Data("triage listening on http://\(host):\(port)\n".utf8))
            }
        )
        for source in server.unauthenticatedSources {
            logger.warning(
                "source has no credentials set; accepting loopback senders only",
                metadata: ["source": "\(source)"]
            )
        }
        for warning in EnvironmentCheck.missing(in: configuration, environment: options.environment) {
            logger.warning("\(warning)")
        }
        logger.info(
            "starting",
            metadata: [
                "store": "\((try? StoreURL(parsing: store))?.redacted ?? "?")", "sqlite_sync": "\(sqliteSync)", "config": "\(config)", "role": "\(role)",
                "rules": "\(configuration.rules.rules.count)", "vendors": "\(configuration.vendors.count)",
            ]
        )
        let group = ServiceGroup(
            configuration: .init(
                services: server.services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
