import ArgumentParser
import Foundation
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage rejected list`: the requests the receiver refused, newest first, with the reason.
struct RejectedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejected",
        abstract: "Inspect webhook requests the receiver refused.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List refused requests, newest first: time, source, HTTP status, reason, body size."
        )

        @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
        var store = StoreURL.defaultValue

        @Option(name: .long, help: "Only this source.")
        var source: String?

        @Option(name: .long, help: "How many to show (1...10000).")
        var limit = 20

        @Flag(name: .long, help: "Also print each kept body (truncated to 64 KiB when stored).")
        var body = false

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit \(limit): must be 1...10000") }
            do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let opened = try await OpenedStore.open(store, mustExist: true)
            defer { opened.close() }
            let rows = try await opened.store.rejectedPayloads(source: source, limit: limit)
            let cipher = try? PayloadCipher.fromEnvironment(ProcessInfo.processInfo.environment)
            if rows.isEmpty { print("no rejected requests") }
            for row in rows {
                let size = row.truncated ? "\(row.bodyBytes) bytes (kept \(row.body.utf8.count))" : "\(row.bodyBytes) bytes"
                print("\(row.id ?? 0)  \(RFC3339.format(row.receivedAt))  \(row.source)  \(row.status)  \(row.reason)  [\(size)]")
                if body, !row.body.isEmpty {
                    if row.body.hasPrefix(PayloadCipher.textPrefix) {
                        let plain = cipher.flatMap { try? $0.openText(row.body) }
                        print("    " + (plain ?? "(sealed with \(PayloadKeysCommand.keyLabel(row.body)); set \(PayloadCipher.variable) to read it)"))
                    } else {
                        print("    \(row.body)")
                    }
                }
            }
        }
    }
}
