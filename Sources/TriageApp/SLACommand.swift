import ArgumentParser
import Foundation
import TriageConfig
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage sla at-risk|pause|resume`: SLA clocks from the command line.
struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla", abstract: "See incidents at risk of an SLA breach; pause or resume an incident's clocks.",
        subcommands: [AtRisk.self, Pause.self, Resume.self])

    struct AtRisk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "at-risk", abstract: "Incidents whose next SLA deadline is within a window (breached ones first).")
        @OptionGroup var options: OutboxCommand.StoreOption
        @Option(name: .long, help: "The window: 30m, 4h, 2d.")
        var within = "30m"
        @Option(name: .long, help: "table or json.")
        var format = "table"
        @Option(name: .long, help: "At most this many clocks (1…10000).")
        var limit = 500

        func validate() throws {
            guard let duration = DurationText.parse(within), duration > .zero else {
                throw ValidationError("--within '\(within)': expected a duration such as 30m, 4h or 2d")
            }
            guard ["table", "json"].contains(format) else { throw ValidationError("--format '\(format)': expected table or json") }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit \(limit): must be 1…10000") }
        }

        func run() async throws {
            let store = try await options.open()
            let report = SLARiskReport(store: store, zones: { try? TimeZoneLoader.load($0) })
            let entries = try await report.atRisk(within: DurationText.parse(within) ?? .seconds(1800), now: Date(), limit: limit)
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(entries), as: UTF8.self))
                return
            }
            guard !entries.isEmpty else {
                print("no incident has an SLA deadline within \(within)")
                return
            }
            let rows = [["INCIDENT", "VENDOR", "PRI", "TARGET", "DEADLINE", "LEFT", "TITLE"]]
                + entries.map {
                    [$0.incident, $0.vendor, $0.priority, $0.target, RFC3339.format($0.deadline),
                     $0.breached ? "BREACHED \($0.left)" : $0.left, String($0.title.prefix(50))]
                }
            let widths = (0..<7).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause an incident's SLA clocks (e.g. waiting on the customer).")
        @OptionGroup var options: OutboxCommand.StoreOption
        @Argument(help: "The incident id.") var id: String
        @Option(name: .long, help: "Why (kept in the incident's events).") var reason: String

        func run() async throws {
            guard let incident = IncidentID(id) else { throw ValidationError("'\(id)' is not an incident id") }
            let store = try await options.open()
            let paused = try await store.pauseClock(incident, at: Date(), reason: reason)
            await CLIAudit.record(store, action: "sla pause", target: id, status: paused ? 200 : 409, detail: "reason: \(reason)")
            guard paused else {
                FileHandle.standardError.write(Data("incident \(id) has no running SLA clock to pause\n".utf8))
                throw ExitCode(1)
            }
            print("paused the SLA clocks of \(id)")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume paused SLA clocks; deadlines move by the pause.")
        @OptionGroup var options: OutboxCommand.StoreOption
        @Argument(help: "The incident id.") var id: String
        @Option(name: .long, help: "Why (kept in the incident's events).") var reason: String

        func run() async throws {
            guard let incident = IncidentID(id) else { throw ValidationError("'\(id)' is not an incident id") }
            let store = try await options.open()
            let resumed = try await store.resumeClock(incident, at: Date(), reason: reason)
            await CLIAudit.record(store, action: "sla resume", target: id, status: resumed ? 200 : 409, detail: "reason: \(reason)")
            guard resumed else {
                FileHandle.standardError.write(Data("incident \(id) is not paused\n".utf8))
                throw ExitCode(1)
            }
            print("resumed the SLA clocks of \(id); a running service plans its timers within 30 s")
        }
    }
}
