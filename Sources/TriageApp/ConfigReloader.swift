import Foundation
import Logging
import ServiceLifecycle
import TriageConfig
import TriageCore
import TriageEngine
import TriageHTTP
import UnixSignals

/// Reloads rules and vendors from the configuration directory into the running worker, atomically:
/// a configuration with any problem is refused whole, its problems logged, and the old one keeps
/// running. Sources and the store need a restart (they shape the listening receiver).
public struct ConfigReloader: Sendable {
    public let directory: String
    public let policies: PolicyHolder
    let logger: Logger

    public init(directory: String, policies: PolicyHolder, logger: Logger) {
        self.directory = directory
        self.policies = policies
        self.logger = logger
    }

    /// Loads `directory` and installs its policy when valid.
    public func reload(trigger: String) -> ReloadResult {
        do {
            let configuration = try ConfigLoader.load(directory: directory)
            let version = policies.replace(with: configuration.policy)
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
            return ReloadResult(
                reloaded: false, version: policies.snapshot.version, rules: policies.current.rules.rules.count,
                problems: error.issues.map(\.description))
        }
    }
}

/// Reloads on SIGHUP until the service group shuts down.
struct ReloadOnHangup: Service {
    let reloader: ConfigReloader

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            _ = reloader.reload(trigger: "SIGHUP")
        }
    }
}
