import ArgumentParser
import Foundation
import TriageCore

/// `triage replay servicenow-log FILE.csv`: a real incident audit log through our lifecycle and
/// SLA clocks, our met/breached verdict against the log's own `made_sla`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Replay real incident logs through the lifecycle state machine and SLA clocks.",
        subcommands: [ServiceNowLog.self])

    struct ServiceNowLog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "servicenow-log",
            abstract: "Replay a ServiceNow incident event log (UCI format) and compare SLA verdicts with made_sla.",
            discussion: """
                Each incident's rows (by sys_mod_count, then sys_updated_at) drive IncidentStateMachine; illegal \
                transitions are counted, not fatal. Each declared policy judges the first resolve against its \
                deadline; agreement with the made_sla of the incident's last row is printed per priority with the \
                2x2 confusion. Rows marked FITTED choose thresholds from made_sla itself: diagnostics, not results.
                Policies: \(ReplayPolicy.builtIn.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")).
                """)

        @Argument(help: ArgumentHelp("The event log: CSV with a header row (incident_event_log.csv).", valueName: "file.csv"))
        var file: String

        @Option(name: .long, help: "A declared policy; repeat or comma-separate for several (default: all built-in ones).")
        var policy: [String] = []

        @Option(name: .long, help: "table or json.")
        var format = "table"

        var names: [String] {
            policy.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        /// The chosen policies in the order given (duplicates once), or all built-in ones.
        var policies: [ReplayPolicy] {
            var seen: Set<String> = []
            let chosen = names.filter { seen.insert($0).inserted }.compactMap(ReplayPolicy.named)
            return chosen.isEmpty ? ReplayPolicy.builtIn : chosen
        }

        func validate() throws {
            guard ["table", "json"].contains(format) else { throw ValidationError("--format '\(format)': expected table or json") }
            for name in names where ReplayPolicy.named(name) == nil {
                let known = ReplayPolicy.builtIn.map(\.name).joined(separator: ", ")
                throw ValidationError("--policy '\(name)': no such policy (known: \(known))")
            }
            if !policy.isEmpty, names.isEmpty { throw ValidationError("--policy needs a policy name") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw ValidationError("<file.csv> '\(file)': no such file")
            }
            guard !isDirectory.boolValue else { throw ValidationError("<file.csv> '\(file)': is a directory, not a CSV file") }
        }

        /// How long each part took.
        struct Timing: Encodable {
            var parseSeconds: Double
            var replaySeconds: Double
            var eventsPerSecond: Double
            var incidentsPerSecond: Double

            enum CodingKeys: String, CodingKey {
                case parseSeconds = "parse_seconds", replaySeconds = "replay_seconds"
                case eventsPerSecond = "events_per_second", incidentsPerSecond = "incidents_per_second"
            }
        }

        struct Output: Encodable {
            var file: String
            var report: EventLogReplayReport
            var bestPolicy: String?
            var bestAgreement: Double?
            var timing: Timing

            enum CodingKeys: String, CodingKey {
                case file, report, timing, bestPolicy = "best_policy", bestAgreement = "best_agreement"
            }
        }

        func run() async throws {
            let clock = ContinuousClock()
            let start = clock.now
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): not readable\n".utf8))
                throw ExitCode(1)
            }
            let events: [ServiceNowEvent]
            do {
                events = try ServiceNowEventLog.parse(Array(data))
            } catch {
                FileHandle.standardError.write(Data("\(file): \(error)\n".utf8))
                throw ExitCode(1)
            }
            let parsed = clock.now
            let report = EventLogReplay.run(events, policies: policies)
            let replayed = clock.now
            func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            let replaySeconds = max(seconds(replayed - parsed), 1e-9)
            let timing = Timing(
                parseSeconds: seconds(parsed - start), replaySeconds: seconds(replayed - parsed),
                eventsPerSecond: Double(report.events) / replaySeconds, incidentsPerSecond: Double(report.incidents) / replaySeconds)
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let output = Output(
                    file: file, report: report, bestPolicy: report.best?.policy, bestAgreement: report.best?.all.agreement,
                    timing: timing)
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
                return
            }
            print(report.text, terminator: "")
            print(
                "\ntiming: read+parse \(String(format: "%.3f", timing.parseSeconds)) s, replay (\(report.policies.count) "
                    + "policies + fitted diagnostics) \(String(format: "%.3f", timing.replaySeconds)) s; "
                    + "\(String(format: "%.0f", timing.eventsPerSecond)) events/s, "
                    + "\(String(format: "%.0f", timing.incidentsPerSecond)) incidents/s")
        }
    }
}
