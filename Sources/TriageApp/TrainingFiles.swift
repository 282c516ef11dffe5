import Foundation
import TriageCore
import TriageEngine

/// Reads the classifier's configured history files (CSV or JSONL) into training examples.
enum TrainingFiles {
    static func load(_ settings: ClassifierSettings) throws -> [TrainingExample] {
        var examples: [TrainingExample] = []
        for path in settings.trainingFiles {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TrainingFileError(description: "\(path): not readable")
            }
            let bytes = Array(data)
            do {
                let rows = try LabelledTable.examples(
                    from: bytes, format: TableFormat.detect(path: path, bytes: bytes), textColumns: settings.textColumns,
                    labelColumn: settings.labelColumn)
                let name = (path as NSString).lastPathComponent
                examples += rows.enumerated().map { TrainingExample(id: "\(name)#\($0.offset + 1)", text: $0.element.text, label: $0.element.label) }
            } catch {
                throw TrainingFileError(description: "\(path): \(error)")
            }
        }
        return examples
    }
}

struct TrainingFileError: Error, CustomStringConvertible {
    var description: String
}
