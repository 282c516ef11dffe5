import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TriageConfig
import TriageCore
import TriageEngine
import TriageHTTP
import UnixSignals

/// Reloads rules and vendors from the configuration directory into the running worker, atomically:
/// a configuration with any problem is refused whole, its problems logged, and the old one keeps
/// running. Sources and the store need a restart (they shape the listening receiver).
///
/// With an audit store, the start and every reload (done or refused) is an audit entry naming the
/// files that changed, by digest (``ConfigDigest``), never their contents.
public final class ConfigReloader: Sendable {
    public let directory: String
    public let policies: PolicyHolder
    let logger: Logger
    let audit: (any AdminStore)?
    let clock: any TriageClock
    /// The digest of the configuration in force.
    private let inForce: Mutex<ConfigDigest>

    public init(
        directory: String, policies: PolicyHolder, logger: Logger, audit: (any AdminStore)? = nil,
        clock: any TriageClock = SystemClock()
    ) {
        self.directory = directory
        self.policies = policies
        self.logger = logger
        self.audit = audit
        self.clock = clock
        self.inForce = Mutex(ConfigDigest.of(directory: directory))
    }

    /// Records the configuration this process started with.
    func recordStart() async {
        await record(actor: "process", action: "start with configuration", status: 200, detail: inForce.withLock { $0.summary })
    }

    /// Loads `directory` and installs its policy when valid.
    public func reload(trigger: String) async -> ReloadResult {
        let actor = trigger == "SIGHUP" ? "signal:SIGHUP" : "admin-api"
        let digest = ConfigDigest.of(directory: directory)
        do {
            let configuration = try ConfigLoader.load(directory: directory)
            let version = policies.replace(with: configuration.policy)
            let changes = inForce.withLock { old in
                defer { old = digest }
                return digest.changes(since: old)
            }
            await record(actor: actor, action: "reload configuration", status: 200, detail: "version \(version): \(changes)")
            logger.notice(
                "configuration reloaded",
                metadata: [
                    "trigger": "\(trigger)", "version": "\(version)", "rules": "\(configuration.rules.rules.count)",
                    "vendors": "\(configuration.vendors.count)",
                ])
            return ReloadResult(
                reloaded: true, version: version, rules: configuration.rules.rules.count, problems: [])
        } catch {
            logger.error(
                "configuration reload refused; the previous rules stay in force",
                metadata: ["trigger": "\(trigger)", "problems": "\(error.description)"])
            let changes = inForce.withLock { digest.changes(since: $0) }
            await record(
                actor: actor, action: "reload configuration", status: 422,
                detail: "refused (\(error.issues.count) problems), previous version stays: \(changes)")
            return ReloadResult(
                reloaded: false, version: policies.snapshot.version, rules: policies.current.rules.rules.count,
                problems: error.issues.map(\.description))
        }
    }
}

extension ConfigReloader {
    func record(actor: String, action: String, status: Int, detail: String) async {
        guard let audit else { return }
        do {
            try await audit.audit(
                AuditEntry(at: clock.now(), actor: actor, action: action, target: directory, status: status, detail: detail))
        } catch {
            logger.error("audit entry not written", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }
}

/// Records the configuration in force at start, then reloads on SIGHUP until the service group shuts down.
struct ReloadOnHangup: Service {
    let reloader: ConfigReloader

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await reloader.recordStart()
        for await _ in signals.cancelOnGracefulShutdown() {
            _ = await reloader.reload(trigger: "SIGHUP")
        }
    }
}
