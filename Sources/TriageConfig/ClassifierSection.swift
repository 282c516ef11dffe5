import Foundation
import TriageCore
import Yams

/// `classifier:` and `duplicates:` in `rules.yaml`.
///
/// ```yaml
/// classifier:
///   target: category               # category | vendor | assignment_group
///   threshold: 0.6                 # below: abstain, a human triages
///   training: [history/tickets.csv]          # relative to the config directory
///   text_columns: [short_description, description]
///   label_column: category
///   learn_from_resolved: true
///   retrain_every: 15m
///   neighbours: 3
/// duplicates:
///   threshold: 0.85
///   window: 24h
///   scope: service                 # any | service | source
///   dispatch: false                # link the duplicate, send nothing to the vendor
/// ```
enum ClassifierSection {
    static let classifierKeys: Set<String> = [
        "target", "threshold", "training", "text_columns", "label_column", "learn_from_resolved", "retrain_every",
        "neighbours", "enabled",
    ]
    static let duplicateKeys: Set<String> = ["threshold", "window", "scope", "dispatch", "enabled"]

    static func classifier(_ node: Node?, file: YAMLFile, directory: String) -> ClassifierSettings {
        var settings = ClassifierSettings()
        guard let node, let map = file.mapping(node, "classifier", allowed: classifierKeys) else { return settings }
        settings.enabled = file.bool(map["enabled"], "classifier.enabled") ?? true
        if let text = file.string(map["target"], "classifier.target") {
            if let target = ClassifierSettings.Target(rawValue: text) { settings.target = target } else {
                file.fail(map["target"], "classifier.target '\(text)' is not category, vendor or assignment_group")
            }
        }
        if let threshold = file.double(map["threshold"], "classifier.threshold") {
            if (0...1).contains(threshold) { settings.threshold = threshold } else {
                file.fail(map["threshold"], "classifier.threshold must be between 0 and 1")
            }
        }
        for path in file.strings(map["training"], "classifier.training") {
            let full = path.hasPrefix("/") ? path : directory + "/" + path
            if FileManager.default.isReadableFile(atPath: full) { settings.trainingFiles.append(full) } else {
                file.fail(map["training"], "training file '\(path)' is not readable (looked at \(full))")
            }
        }
        if map["text_columns"] != nil { settings.textColumns = file.strings(map["text_columns"], "classifier.text_columns") }
        if let column = file.string(map["label_column"], "classifier.label_column") { settings.labelColumn = column }
        settings.learnFromResolved = file.bool(map["learn_from_resolved"], "classifier.learn_from_resolved") ?? true
        if let every = file.duration(map["retrain_every"], "classifier.retrain_every") {
            settings.retrainEvery = every.timeInterval
        }
        if let count = file.int(map["neighbours"], "classifier.neighbours") {
            if (0...20).contains(count) { settings.neighbours = count } else {
                file.fail(map["neighbours"], "classifier.neighbours must be 0…20")
            }
        }
        return settings
    }

    static func duplicates(_ node: Node?, file: YAMLFile) -> DuplicateSettings {
        var settings = DuplicateSettings()
        guard let node, let map = file.mapping(node, "duplicates", allowed: duplicateKeys) else { return settings }
        settings.enabled = file.bool(map["enabled"], "duplicates.enabled") ?? true
        if let threshold = file.double(map["threshold"], "duplicates.threshold") {
            if threshold > 0, threshold <= 1 { settings.threshold = threshold } else {
                file.fail(map["threshold"], "duplicates.threshold must be above 0 and at most 1")
            }
        }
        if let window = file.duration(map["window"], "duplicates.window") { settings.window = window.timeInterval }
        if let text = file.string(map["scope"], "duplicates.scope") {
            if let scope = DuplicateSettings.Scope(rawValue: text) { settings.scope = scope } else {
                file.fail(map["scope"], "duplicates.scope '\(text)' is not any, service or source")
            }
        }
        settings.dispatch = file.bool(map["dispatch"], "duplicates.dispatch") ?? false
        return settings
    }
}
