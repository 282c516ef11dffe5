import ArgumentParser
import Foundation
import Logging
import TriageConfig
import TriageCore
import TriageEngine

/// `triage retention run [--dry-run] --config DIR --store URL`: applies `retention.yaml` once, as
/// the worker's sweeper does every `check_every`, and says what it purged (or would purge).
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Purge what retention.yaml says is old enough, now.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Purge (or, with --dry-run, count) what is due under retention.yaml.",
            discussion: """
                Works kind by kind in batches, as `triage serve` does in the background: closed incidents \
                (purged or redacted), raw payload bodies, delivered message bodies, rejected requests. A run \
                that purges something is recorded in the audit trail (actor retention, counts only).
                """)

        @Option(name: .long, help: "Directory holding sources.yaml, vendors.yaml, rules.yaml and retention.yaml.")
        var config = "rules"

        @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
        var store = StoreURL.defaultValue

        @Flag(name: .long, help: "Count what is due without changing anything.")
        var dryRun = false

        func validate() throws {
            do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let configuration: TriageConfiguration
            do {
                configuration = try ConfigLoader.load(directory: config)
            } catch {
                FileHandle.standardError.write(Data("configuration errors:\n\(error.description)\n".utf8))
                throw ExitCode(2)
            }
            guard let policy = configuration.retention, !policy.keepsEverything else {
                print("retention: no age is set in \(config)/retention.yaml (or there is none): everything is kept")
                return
            }
            let opened = try await OpenedStore.open(store, mustExist: true)
            defer { opened.close() }
            let now = Date()
            if dryRun {
                for kind in RetentionKind.allCases {
                    let cutoffs = policy.cutoffs(kind, now: now)
                    let count = cutoffs.keepsEverything
                        ? nil : try await opened.store.retentionDue(kind, cutoffs: cutoffs, action: policy.closedIncidentAction)
                    print(Self.line(kind, policy: policy, count: count, verb: "would purge"))
                }
                return
            }
            let sweeper = RetentionSweeper(
                store: opened.store, audit: opened.store, policy: policy, clock: SystemClock(),
                logger: Logger(label: "triage.retention"))
            let sweep = try await sweeper.sweep()
            for kind in RetentionKind.allCases {
                let count = policy.cutoffs(kind, now: now).keepsEverything
                    ? nil : sweep[RetentionSweeper<SystemClock>.what(kind, action: policy.closedIncidentAction)]
                print(Self.line(kind, policy: policy, count: count, verb: "purged"))
            }
        }

        /// `closed_incidents (purge)   purged 3   (400d; 1 override)` or `…   kept: no age set`.
        static func line(_ kind: RetentionKind, policy: RetentionPolicy, count: Int?, verb: String) -> String {
            let name = kind == .closedIncidents ? "\(kind.rawValue) (\(policy.closedIncidentAction.rawValue))" : kind.rawValue
            let label = name.padding(toLength: 28, withPad: " ", startingAt: 0)
            guard let count else { return "\(label)kept: no age set" }
            let overrides = policy.overrides.filter { $0.ages[kind] != nil }.count
            var ages = policy.defaults[kind].map { "older than \(DurationText.format($0))" } ?? "no default age"
            if overrides > 0 { ages += "; \(overrides) override\(overrides == 1 ? "" : "s")" }
            return "\(label)\(verb) \(count)  (\(ages))"
        }
    }
}
