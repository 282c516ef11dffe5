import ArgumentParser
import Foundation
import TriageConfig
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage report sla`: reports for the people who buy the vendors' service.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports over the store's history: SLA attainment per vendor.",
        subcommands: [SLA.self])

    /// `triage report sla --from 2026-11-01 --to 2026-12-01 [--vendor ID] [--format …] [--output FILE]`.
    struct SLA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sla",
            abstract: "SLA attainment, breaches and times to target per vendor and priority over a period.",
            discussion: """
                Counts the SLA clocks started from the first day (00:00 UTC) up to, not including, the \
                --to day. Formats: table (terminal), csv (RFC 4180, durations in seconds), json, html (a \
                self-contained page with charts).
                """)

        static let formats = ["table", "csv", "json", "html"]

        @OptionGroup var options: OutboxCommand.StoreOption
        @Option(name: .long, help: "First day of the period (UTC), YYYY-MM-DD.")
        var from: String
        @Option(name: .long, help: "Day after the last day of the period (UTC, exclusive), YYYY-MM-DD.")
        var to: String
        @Option(name: .long, help: "Only this vendor (default: all).")
        var vendor: String?
        @Option(name: .long, help: "table, csv, json or html.")
        var format = "table"
        @Option(name: .long, help: "Write to this file instead of standard output.")
        var output: String?
        @Option(name: .long, help: "The attainment target drawn on the html charts, in percent (0…100).")
        var target = 95.0

        func validate() throws {
            guard let start = LocalDate(parsing: from) else {
                throw ValidationError("--from '\(from)': expected a date YYYY-MM-DD such as 2026-11-01")
            }
            guard let end = LocalDate(parsing: to) else {
                throw ValidationError("--to '\(to)': expected a date YYYY-MM-DD such as 2026-12-01")
            }
            guard end > start else {
                throw ValidationError("--to \(to) must be after --from \(from) (--to is exclusive: the day after the last)")
            }
            guard Self.formats.contains(format) else {
                throw ValidationError("--format '\(format)': expected table, csv, json or html")
            }
            if let vendor, vendor.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--vendor: expected a vendor id, got an empty string")
            }
            if let output, output.isEmpty { throw ValidationError("--output: expected a file path") }
            guard target.isFinite, (0...100).contains(target) else {
                throw ValidationError("--target \(target): must be a percentage 0…100")
            }
        }

        func run() async throws {
            guard let start = LocalDate(parsing: from), let end = LocalDate(parsing: to) else {
                throw ValidationError("--from and --to: expected dates YYYY-MM-DD")
            }
            let (periodStart, periodEnd) = (Self.midnightUTC(start), Self.midnightUTC(end))
            let store = try await options.open()
            let records = try await SLARecordLoader.records(
                store: store, from: periodStart, to: periodEnd, vendor: vendor,
                zones: { try? TimeZoneLoader.load($0) }, now: Date())
            let report = SLAReport(records: records, from: periodStart, to: periodEnd)
            let text: String
            switch format {
            case "csv": text = report.csv()
            case "json": text = report.json()
            case "html": text = report.html(attainmentTarget: target / 100)
            default: text = report.table()
            }
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            FileHandle.standardError.write(
                Data("wrote the SLA report (\(records.count) clocks, \(report.vendors.count) vendors) to \(output)\n".utf8))
        }

        /// 00:00 UTC on `day`.
        static func midnightUTC(_ day: LocalDate) -> Date {
            Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400)
        }
    }
}
