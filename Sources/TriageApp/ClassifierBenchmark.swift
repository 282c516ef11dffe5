import ArgumentParser
import Foundation
import TriageCore

/// `triage bench classifier`: training time on a labelled file, then prediction plus nearest
/// past incidents with an index of `--documents` past incidents (the file's tickets, replicated
/// with a few extra words each), and the process's peak memory.
struct ClassifierBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier", abstract: "Classifier training time, prediction latency at N past incidents, memory.")

    @Option(name: .long, help: "Labelled rows (CSV with a header row, or JSONL).")
    var data: String

    @Option(name: .long, help: "Text column(s), comma-separated.")
    var text: String

    @Option(name: .long, help: "Label column.")
    var label: String

    @Option(name: .long, help: "Past incidents in the neighbour index.")
    var documents = 100_000

    @Option(name: .long, help: "Timed predictions.")
    var queries = 2000

    func run() async throws {
        guard let bytes = FileManager.default.contents(atPath: data).map(Array.init) else {
            FileHandle.standardError.write(Data("\(data): not readable\n".utf8))
            throw ExitCode(1)
        }
        let columns = text.split(separator: ",").map(String.init)
        let rows = try LabelledTable.examples(
            from: bytes, format: TableFormat.detect(path: data, bytes: bytes), textColumns: columns, labelColumn: label)
        let clock = ContinuousClock()
        var start = clock.now
        let model = TextClassifier.train(texts: rows.map(\.text), labels: rows.map(\.label))
        print("trained on \(rows.count) rows, \(model.labels.count) labels in \(seconds(clock.now - start)) s; \(Self.memory())")
        start = clock.now
        var index = NeighbourIndex()
        var generator = SplitMix64(seed: 7)
        let extra = ["urgent", "please", "again", "today", "server", "user", "help", "issue", "error", "team"]
        for number in 0..<documents {
            let row = rows[number % rows.count]
            var body = row.text
            if number >= rows.count {
                body += " " + (0..<3).map { _ in extra[Int(generator.next() % UInt64(extra.count))] }.joined(separator: " ")
                    + " ref\(number)"
            }
            index.add(id: "INC\(number)", vector: model.vector(body), label: row.label, time: nil, scope: nil)
        }
        print("indexed \(documents) past incidents in \(seconds(clock.now - start)) s; \(Self.memory())")
        var latencies: [Double] = []
        var agree = 0
        for _ in 0..<queries {
            let row = rows[Int(generator.next() % UInt64(rows.count))]
            let began = clock.now
            let vector = model.vector(row.text + " thanks")
            let prediction = model.predict(features: vector)
            let nearest = index.nearest(vector, k: 3)
            let elapsed = clock.now - began
            latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            if nearest.first?.label == row.label { agree += 1 }
            if prediction.ranked.isEmpty { print("") }
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print(
            String(
                format: "predict + 3 nearest of %d: p50 %.3f ms, p99 %.3f ms, max %.3f ms (nearest label = truth %.1f%%)",
                documents, p50, p99, latencies.last ?? 0, 100 * Double(agree) / Double(queries)))
        print(Self.memory())
    }

    func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Peak and current resident memory of this process (Linux `/proc/self/status`).
    static func memory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "memory: n/a" }
        let lines = status.split(separator: "\n").filter { $0.hasPrefix("VmHWM") || $0.hasPrefix("VmRSS") }
        return lines.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "  ", with: "") }
            .joined(separator: ", ")
    }
}
