import ArgumentParser
import Foundation
import TriageCore

/// `triage eval`: how well the classifier predicts labels from text, on held-out rows or by
/// K-fold cross-validation (row i in fold i % K). The flags and JSON keys are a contract.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure the text classifier: accuracy, macro-F1, coverage and precision at the threshold.")

    @Option(name: .long, help: "Labelled training rows: CSV with a header row, or JSONL.")
    var train: String

    @Option(name: .long, help: "Labelled test rows (same columns). Use --folds instead for cross-validation.")
    var test: String?

    @Option(name: .long, help: "Cross-validation folds on --train (row i is in fold i % K).")
    var folds: Int?

    @Option(name: .long, help: "Text column(s), comma-separated; joined with a space.")
    var text: String

    @Option(name: .long, help: "Label column.")
    var label: String

    @Option(name: .long, help: "Confidence threshold for coverage and precision (0…1).")
    var threshold = 0.6

    @Option(name: .long, help: "Output: text or json.")
    var format = "text"

    func validate() throws {
        guard (test == nil) != (folds == nil) else { throw ValidationError("give either --test FILE or --folds K") }
        if let folds, !(2...50).contains(folds) { throw ValidationError("--folds \(folds): must be 2…50") }
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold \(threshold): must be between 0 and 1") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format '\(format)': expected text or json") }
        guard !columns.isEmpty else { throw ValidationError("--text needs at least one column name") }
    }

    var columns: [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func read(_ path: String) throws -> [LabelledExample] {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("\(path): not found or not readable\n".utf8))
            throw ExitCode(1)
        }
        let bytes = Array(data)
        do {
            return try LabelledTable.examples(
                from: bytes, format: TableFormat.detect(path: path, bytes: bytes), textColumns: columns, labelColumn: label)
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    func run() async throws {
        let training = try read(train)
        guard !training.isEmpty else {
            FileHandle.standardError.write(Data("\(train): no labelled rows\n".utf8))
            throw ExitCode(1)
        }
        let options = TextClassifier.Options(threshold: threshold)
        func fit(_ fold: Int?, _ rows: [LabelledExample]) -> TextClassifier {
            let clock = ContinuousClock()
            let start = clock.now
            let model = TextClassifier.train(texts: rows.map(\.text), labels: rows.map(\.label), options: options)
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let name = fold.map { "fold \($0 + 1)" } ?? "training"
            FileHandle.standardError.write(Data("\(name): fit \(String(format: "%.2f", seconds)) s on \(rows.count) rows\n".utf8))
            return model
        }
        func guess(_ model: TextClassifier, _ text: String) -> (label: String, confidence: Double) {
            let best = model.predict(text).ranked.first
            return (best?.label ?? "", best?.probability ?? 0)
        }
        let report: EvaluationReport
        if let folds {
            report = EvaluationReport.crossValidate(
                training, k: folds, threshold: threshold, train: { fold, rows in fit(fold, rows) }, predict: guess)
        } else if let test {
            report = EvaluationReport.holdOut(
                training: training, test: try read(test), threshold: threshold, train: { rows in fit(nil, rows) },
                predict: guess)
        } else {
            return
        }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}
