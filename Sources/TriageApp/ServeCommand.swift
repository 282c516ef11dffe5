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
        abstract: "Run the webhook receiver, the triage worker and the dispatcher.",
        discussion: """
            Every option can also be set from its TRIAGE_* environment variable (shown with each option), for \
            containers and systemd units. A flag wins over the variable, which wins over the default; an empty \
            variable counts as unset.
            """
    )

    @Option(name: .long, help: "Directory holding sources.yaml, vendors.yaml and rules.yaml. \(Setting.config.helpNote)")
    var config: String?

    @Option(
        name: .long,
        help: """
            Store URL: sqlite:PATH (one process) or postgres://USER@HOST[:PORT]/DATABASE[?sslmode=…&pool_max=N&password_env=VAR] \
            (several receivers and workers on one database). \(Setting.store.helpNote)
            """)
    var store: String?

    @Option(name: .long, help: "Address to listen on. Use 0.0.0.0 to accept remote senders. \(Setting.host.helpNote)")
    var host: String?

    @Option(name: .long, help: "Port to listen on; 0 picks a free one (printed at start). \(Setting.port.helpNote)")
    var port: Int?

    @Option(name: .long, help: "Which parts to run: receiver, worker or all. \(Setting.role.helpNote)")
    var role: String?

    @Option(
        name: .long,
        help: """
            SQLite durability: full (fsync at every commit; survives power loss) or normal \
            (survives a process crash; a power loss may roll back the last commits). \(Setting.sqliteSync.helpNote)
            """)
    var sqliteSync: String?

    @Option(
        name: .long,
        help: """
            Seconds a claimed incident or SLA timer stays with this process; after that another instance \
            takes over the work of one that died (1...3600). \(Setting.workLease.helpNote)
            """)
    var workLease: Int?

    @Option(
        name: .long,
        help: "Log level: trace, debug, info, notice, warning, error, critical. \(Setting.logLevel.helpNote)")
    var logLevel: String?

    @Option(
        name: .long,
        help: "Log lines on stderr: text (one readable line) or json (one JSON object per line). \(Setting.logFormat.helpNote)")
    var logFormat: String?

    private typealias Setting = ServeSettings.Setting

    /// The flags as given, for ``ServeSettings/resolve(_:environment:)``.
    private var flags: ServeSettings.Flags {
        ServeSettings.Flags(
            config: config, store: store, host: host, port: port, role: role, sqliteSync: sqliteSync, workLease: workLease,
            logLevel: logLevel, logFormat: logFormat)
    }

    /// Flags, then `TRIAGE_*` variables, then defaults; a bad value is a usage error (exit 64).
    private func resolvedSettings() throws -> ServeSettings {
        do {
            return try ServeSettings.resolve(flags, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        _ = try resolvedSettings()
    }

    func run() async throws {
        let settings = try resolvedSettings()
        let (config, store, sqliteSync, role) = (settings.config, settings.store, settings.sqliteSync, settings.role)
        let level = settings.logLevel
        switch settings.logFormat {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
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
        let cipher: PayloadCipher?
        do {
            cipher = try PayloadCipher.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let opened = try await OpenedStore.open(store, sqliteSync: sqliteSync, mustExist: false, logger: logger)
        defer { opened.close() }
        var options = TriageServer.Options()
        options.payloadCipher = cipher
        options.host = settings.host
        options.port = settings.port
        options.role = role
        options.workLease = .seconds(settings.workLease)
        do {
            options.trainingExamples = try TrainingFiles.load(configuration.classifier)
        } catch {
            FileHandle.standardError.write(Data("classifier training data: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let host = settings.host
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
                "store": "\((try? StoreURL(parsing: store))?.redacted ?? "?")", "sqlite_sync": "\(sqliteSync.rawValue)", "config": "\(config)", "role": "\(role.rawValue)",
                "rules": "\(configuration.rules.rules.count)", "vendors": "\(configuration.vendors.count)",
                "payload_encryption": "\(cipher.map { "aes-256-gcm, key \($0.currentKeyID)" } ?? "off")",
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
