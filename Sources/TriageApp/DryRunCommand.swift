import ArgumentParser
import Foundation
import TriageConfig
import TriageCore
import TriageEngine

/// `triage dry-run`: what the rules would have done with history, with nothing sent and nothing
/// stored. It reads files and the configuration, and opens no store and no connection.
struct DryRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Replay webhook payloads, JSONL incidents or a CSV export through the rules; nothing is sent or stored.")

    @Argument(help: "Inputs: *.json webhook payloads, *.jsonl incidents (generic JSON per line), *.csv history.")
    var inputs: [String]
    @Option(name: .long, help: "Directory holding sources.yaml, vendors.yaml and rules.yaml.")
    var config = "rules"
    @Option(name: .long, help: "Kind of the *.json payloads (default: detected from their keys).")
    var source: String?
    @Option(name: .long, help: "CSV: columns holding the text, comma-separated (the first non-empty is the title).")
    var text: String?
    @Option(name: .long, help: "CSV: column with when it happened (RFC 3339, or YYYY-MM-DD HH:MM in UTC).")
    var time: String?
    @Option(name: .long, help: "CSV: column with its id.")
    var id: String?
    @Option(name: .long, help: "CSV: column with the expected outcome, for accuracy.")
    var label: String?
    @Option(name: .long, help: "CSV: column with when the vendor acknowledged it (for --replay).")
    var acknowledged: String?
    @Option(name: .long, help: "CSV: column with when it was resolved (for --replay).")
    var resolved: String?
    @Flag(name: .long, help: "Simulate the history: load rises and falls, SLA steps fire up to the acknowledge/resolve times.")
    var replay = false
    @Option(name: .long, help: "What --label is compared with: category, vendor or priority.")
    var labelField = "category"
    @Option(name: .long, help: "table, json, or html (one self-contained page with charts).")
    var format = "table"
    @Option(name: .long, help: "Another configuration directory: list the incidents whose outcome changes.")
    var compare: String?
    @Flag(name: .long, help: "With --compare: exit 1 when any outcome changes (for CI).")
    var failOnChange = false
    @Option(name: .long, help: "The instant payloads without a time of their own are taken to arrive (RFC 3339; default now).")
    var now: String?
    @Option(name: .long, help: "Write to this file instead of standard output.")
    var output: String?
    @Option(name: .long, help: "Redact titles and explanations with this profile from vendors.yaml redaction.profiles.")
    var redact: String?

    func validate() throws {
        if let source, SourceKind(rawValue: source) == nil {
            throw ValidationError("--source '\(source)': expected one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard DryRun.LabelField(rawValue: labelField) != nil else {
            throw ValidationError("--label-field '\(labelField)': expected category, vendor or priority")
        }
        guard ["table", "json", "html"].contains(format) else {
            throw ValidationError("--format '\(format)': expected table, json or html")
        }
        if let now, RFC3339.parse(now) == nil { throw ValidationError("--now '\(now)': expected RFC 3339 such as 2026-11-29T10:00:00Z") }
        if failOnChange, compare == nil { throw ValidationError("--fail-on-change needs --compare") }
        for input in inputs where input.hasSuffix(".csv") && text == nil {
            throw ValidationError("\(input): a CSV input needs --text (its text columns)")
        }
    }

    func run() async throws {
        let configuration = try Self.load(config)
        let redaction = try redact.map { try RedactOption($0, configuration: configuration) }
        let other = try compare.map(Self.load)
        let field = DryRun.LabelField(rawValue: labelField) ?? .category
        var session = DryRun.Session(policy: configuration.policy, intelligence: try Self.intelligence(configuration), replay: replay)
        var otherSession = try other.map {
            DryRun.Session(policy: $0.policy, intelligence: try Self.intelligence($0), replay: replay)
        }
        var accumulator = DryRunSummary.Accumulator(labelField: field)
        var comparison = DryRunComparison.Builder()
        let writer = try DryRunWriter(path: output)
        var rows: [[String]] = []  // table: the cells of each line (aligned at the end)
        var shown: [DryRun.Outcome] = []  // html: the first rows of the incident table
        var last: Date?
        let bar = ProgressBar(label: "dry-run")
        if format == "json" { writer.write(DryRun.jsonHead) }
        do {
            try DryRunInputs(
                source: source.flatMap(SourceKind.init(rawValue:)),
                mapping: text.map {
                    var mapping = HistoryMapping(text: $0.split(separator: ",").map(String.init), time: time, id: id, label: label)
                    mapping.acknowledged = acknowledged
                    mapping.resolved = resolved
                    return mapping
                },
                now: now.flatMap(RFC3339.parse) ?? Date()
            ).forEach(inputs) { (entry: DryRun.Entry, place: String) throws(TableError) in
                let at = entry.incident.occurredAt
                if replay, let last, at < last {
                    throw TableError(
                        "\(place): \(RFC3339.format(at)) is earlier than the incident before it (\(RFC3339.format(last))); "
                            + "--replay needs the history in time order: sort it by its time column")
                }
                last = at
                let decided = session.decide(entry)
                let outcome = redaction?.outcome(decided) ?? decided
                if let that = otherSession?.decide(entry) { comparison.add(outcome, that) }
                switch format {
                case "json": writer.write(DryRun.jsonItem(outcome, first: accumulator.count == 0))
                case "html": if shown.count < DryRun.htmlRowLimit { shown.append(outcome) }
                default: rows.append(DryRun.tableRow(outcome))
                }
                accumulator.add(outcome)
                if accumulator.count % 1000 == 0 { bar?.update(accumulator.count, of: 0) }
            }
        } catch let error as DryRunInputs.Failure {
            FileHandle.standardError.write(Data("triage dry-run: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        bar?.finish(accumulator.count)
        let summary = accumulator.summary(rules: configuration.rules.rules.map(\.name))
        let compared = other == nil ? nil : comparison.comparison
        switch format {
        case "json": writer.write(DryRun.jsonTail(summary, compared))
        case "html":
            let names = inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            writer.write(DryRun.html(shown, summary: summary, comparison: compared, title: "Dry-run of \(names)"))
        default:
            var text = DryRun.table(rows: rows, summary: summary, colour: output == nil && isatty(STDOUT_FILENO) == 1)
            if let compared { text += "\ncompared with \(compare ?? ""):\n" + compared.text }
            writer.write(text)
        }
        writer.close()
        if failOnChange, let compared, compared.changed > 0 { throw ExitCode(1) }
    }

    /// The classifier and past incidents trained from the configuration's history files, as
    /// `serve` starts with (without what a running store adds).
    static func intelligence(_ configuration: TriageConfiguration) throws -> DryRun.Intelligence? {
        guard configuration.classifier.enabled else { return nil }
        let examples = try TrainingFiles.load(configuration.classifier)
        guard Set(examples.map(\.label)).count >= 2 else { return nil }
        let model = TextClassifier.train(
            texts: examples.map(\.text), labels: examples.map(\.label),
            options: TextClassifier.Options(threshold: configuration.classifier.threshold))
        return DryRun.Intelligence(
            model: model, history: ClassifierHolder.history(of: examples, model: model),
            neighbours: configuration.classifier.neighbours)
    }

    static func load(_ directory: String) throws -> TriageConfiguration {
        do {
            return try ConfigLoader.load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("configuration errors:\n\(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
