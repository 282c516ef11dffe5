import ArgumentParser
import Foundation
import TriageCore
import TriageEngine

/// `triage bench redaction`: redaction cost per KB of incident text with every built-in rule on,
/// on clean prose, on the fixtures' raw payloads and on prose with personal data planted at a
/// known density; median of several runs, one core. Build with `-c release` for real figures.
struct RedactionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redaction", abstract: "Redaction cost in µs per KB with all built-in rules, clean and PII-dense text.")

    @Option(name: .long, help: "The project's fixtures directory (history and payloads are mixed into the texts).")
    var fixtures = "fixtures"

    @Option(name: .long, help: "KB of text per corpus.")
    var kilobytes = 512

    @Option(name: .long, help: "Bytes per text (one incident's description).")
    var chunk = 1024

    @Option(name: .long, help: "Timed runs per corpus; the median is shown.")
    var runs = 7

    @Option(name: .long, help: "PII-dense corpus: one planted value per this many bytes.")
    var spacing = 100

    func validate() throws {
        guard (1...65_536).contains(kilobytes) else { throw ValidationError("--kilobytes must be 1...65536") }
        guard (64...1_048_576).contains(chunk) else { throw ValidationError("--chunk must be 64...1048576") }
        guard (1...101).contains(runs) else { throw ValidationError("--runs must be 1...101") }
        guard (20...100_000).contains(spacing) else { throw ValidationError("--spacing must be 20...100000") }
    }

    func run() async throws {
        let (history, payloads) = RedactionCorpus.fixtures(fixtures)
        if history.isEmpty || payloads.isEmpty {
            print("redaction: \(fixtures) has no dry-run/history.csv or payloads/*.json; generated text only")
        }
        var corpus = RedactionCorpus(seed: 14)
        let bytes = kilobytes * 1024
        let clean = corpus.prose(bytes: bytes, chunk: chunk, history: history)
        let (dense, planted) = corpus.planted(bytes: bytes, chunk: chunk, spacing: spacing, history: history)
        var payloadTexts: [String] = []
        var payloadBytes = 0
        while !payloads.isEmpty, payloadBytes < bytes {
            let text = payloads[payloadTexts.count % payloads.count]
            payloadTexts.append(text)
            payloadBytes += text.utf8.count
        }
        let key = RedactionKey(bytes: Array("bench-redaction-key-0123456789".utf8), variable: "TRIAGE_REDACTION_KEY")
        let hash = RedactionHMAC.keyedHash(key: key)
        let masking = Redactor(rules: RedactionRule.allBuiltIns(mode: .mask), keyedHash: hash)
        let hashing = Redactor(rules: RedactionRule.allBuiltIns(mode: .hash), keyedHash: hash)
        let custom = Redactor(
            rules: RedactionRule.allBuiltIns(mode: .mask) + [try RedactionRule.pattern(name: "employee-id", "EMP-[0-9]{6}")],
            keyedHash: hash)

        // Every planted value must be gone from the redacted text.
        var leaked = 0
        for (text, values) in zip(dense, planted) {
            let redacted = masking.redact(text).text
            leaked += values.filter { redacted.contains($0) }.count
        }
        let plantedCount = planted.reduce(0) { $0 + $1.count }
        print("redaction: all built-ins (\(RedactionRule.builtInNames.joined(separator: ", "))), one core, "
            + "\(chunk)-byte texts, median of \(runs) runs")
        print(
            ["corpus", "KB", "µs/KB", "matches/KB"].enumerated().map { pad($1, [30, 8, 10, 12][$0]) }.joined(separator: " ")
                + "   fired by rule")
        var results: [(String, Double)] = []
        for (name, texts, redactor) in [
            ("clean prose (mask)", clean, masking), ("fixture payloads (mask)", payloadTexts, masking),
            ("PII-dense prose (mask)", dense, masking), ("PII-dense prose (hash)", dense, hashing),
            ("PII-dense + 1 user regex", dense, custom),
        ] where !texts.isEmpty {
            let (perKB, fired) = measure(texts, redactor)
            results.append((name, perKB))
            let kb = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1024
            let matches = fired.values.reduce(0, +)
            print(pad(name, 30) + String(format: " %8.0f %10.2f %12.2f", kb, perKB, Double(matches) / kb)
                + "   " + fired.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " "))
        }
        print("redaction: planted \(plantedCount) values (one per \(spacing) bytes); \(leaked) left unredacted")
        let builtIns = results.filter { !$0.0.contains("regex") }.map(\.1).max() ?? 0
        print(String(format: "redaction: worst built-in-only figure %.2f µs/KB (target < 50 µs/KB): ", builtIns)
            + (builtIns < 50 ? "met" : "NOT met"))
    }

    /// Median µs per KB over `runs` passes, and what fired in one pass, by rule.
    func measure(_ texts: [String], _ redactor: Redactor) -> (Double, [String: Int]) {
        let clock = ContinuousClock()
        let bytes = Double(texts.reduce(0) { $0 + $1.utf8.count })
        var fired: [String: Int] = [:]
        for text in texts { fired.merge(redactor.redact(text).fired, uniquingKeysWith: +) }  // warm-up
        var samples: [Double] = []
        var sink = 0
        for _ in 0..<runs {
            let start = clock.now
            for text in texts { sink &+= redactor.redact(text).text.utf8.count }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            samples.append(seconds * 1e6 / (bytes / 1024))
        }
        if sink == -1 { print("") }
        return (samples.sorted()[samples.count / 2], fired)
    }

    func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
