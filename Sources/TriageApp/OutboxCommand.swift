import ArgumentParser
import Foundation
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage outbox list|retry|drop`: the dead-letter queue and the rest of the outbox.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Inspect deliveries; send a dead-lettered message again or drop it.",
        subcommands: [List.self, Retry.self, Drop.self])

    struct StoreOption: ParsableArguments {
        @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
        var store = StoreURL.defaultValue

        /// The store named by `--store`; an operator command never creates an empty one.
        func open() async throws -> any TriageStore {
            try await OpenedStore.open(store, mustExist: true).store
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List messages, newest first.")
        @OptionGroup var options: StoreOption
        @Option(name: .long, help: "pending, delivered, dead or dropped (default: all).")
        var status: String?
        @Option(name: .long, help: "How many (1…10000).")
        var limit = 50

        func validate() throws {
            if let status, !["pending", "delivered", "dead", "dropped"].contains(status) {
                throw ValidationError("--status '\(status)': expected pending, delivered, dead or dropped")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit \(limit): must be 1…10000") }
        }

        func run() async throws {
            let entries = try await options.open().outboxEntries(status: status, limit: limit)
            if entries.isEmpty { print("no messages") }
            for entry in entries {
                var line = "\(entry.id)  \(entry.status)  \(entry.vendor)  attempts \(entry.attempts)  incident \(entry.incidentID)"
                if let next = entry.nextAttemptAt { line += "  next \(RFC3339.format(next))" }
                if let reason = entry.reason { line += "  (\(reason))" }
                print(line)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a dead (or dropped) message again, due now.")
        @OptionGroup var options: StoreOption
        @Argument(help: "The message id.")
        var id: String

        func run() async throws {
            let store = try await options.open()
            let retried = try await store.retryMessage(id, now: Date())
            await CLIAudit.record(store, action: "outbox retry", target: id, status: retried ? 200 : 404)
            guard retried else {
                FileHandle.standardError.write(Data("no dead or dropped message '\(id)'\n".utf8))
                throw ExitCode(1)
            }
            print("\(id) queued again; the dispatcher sends it at its next round")
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a pending or dead message for good.")
        @OptionGroup var options: StoreOption
        @Argument(help: "The message id.")
        var id: String
        @Option(name: .long, help: "Why (recorded in the incident's history).")
        var reason: String

        func run() async throws {
            let store = try await options.open()
            let dropped = try await store.dropMessage(id, reason: reason, now: Date())
            await CLIAudit.record(store, action: "outbox drop", target: id, status: dropped ? 200 : 404, detail: "reason: \(reason)")
            guard dropped else {
                FileHandle.standardError.write(Data("no pending or dead message '\(id)'\n".utf8))
                throw ExitCode(1)
            }
            print("\(id) dropped")
        }
    }
}
