import Yams
import TriageCore

/// A parsed YAML file and the problems found in it, read node by node so every problem keeps
/// the line and column it was written at.
final class YAMLFile {
    let path: String
    private(set) var issues: [ConfigIssue] = []
    private(set) var root: Node?

    init(path: String, text: String) {
        self.path = path
        do {
            root = try Yams.compose(yaml: text)
            if root == nil { fail(nil, "file is empty") }
        } catch let error as YamlError {
            issues.append(Self.issue(from: error, file: path))
        } catch {
            fail(nil, "could not be parsed")
        }
    }

    func fail(_ node: Node?, _ message: String) {
        let mark = node?.mark
        issues.append(ConfigIssue(file: path, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    /// The mapping at `node`, checking that it has only `allowed` keys.
    func mapping(_ node: Node?, _ what: String, allowed: Set<String>) -> Node.Mapping? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            fail(node, "\(what) must be a mapping")
            return nil
        }
        for key in mapping.keys {
            guard let name = key.string else {
                fail(key, "keys in \(what) must be strings")
                continue
            }
            if !allowed.contains(name) {
                let known = allowed.sorted().joined(separator: ", ")
                fail(key, "unknown key '\(name)' in \(what) (known: \(known))")
            }
        }
        return mapping
    }

    func sequence(_ node: Node?, _ what: String) -> [Node] {
        guard let node else { return [] }
        guard let sequence = node.sequence else {
            fail(node, "\(what) must be a list")
            return []
        }
        return Array(sequence)
    }

    func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            fail(node, "\(what) must be a string")
            return nil
        }
        return scalar.string
    }

    /// A required string, reported against `parent` when it is missing.
    func requiredString(_ map: Node.Mapping, _ key: String, in parent: Node, _ what: String) -> String? {
        guard let node = map[key] else {
            fail(parent, "\(what) needs '\(key)'")
            return nil
        }
        guard let value = string(node, "\(what).\(key)"), !value.isEmpty else {
            if node.scalar != nil { fail(node, "\(what).\(key) must not be empty") }
            return nil
        }
        return value
    }

    /// A string or a list of strings, as a list.
    func strings(_ node: Node?, _ what: String) -> [String] {
        guard let node else { return [] }
        if node.scalar != nil { return string(node, what).map { [$0] } ?? [] }
        return sequence(node, what).compactMap { string($0, "an entry of \(what)") }
    }

    func double(_ node: Node?, _ what: String) -> Double? {
        guard let node else { return nil }
        guard node.scalar != nil, let value = node.float else {
            fail(node, "\(what) must be a number")
            return nil
        }
        return value
    }

    func int(_ node: Node?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard node.scalar != nil, let value = node.int else {
            fail(node, "\(what) must be a whole number")
            return nil
        }
        return value
    }

    func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let node else { return nil }
        guard node.scalar != nil, let value = node.bool else {
            fail(node, "\(what) must be true or false")
            return nil
        }
        return value
    }

    func duration(_ node: Node?, _ what: String) -> Duration? {
        guard let text = string(node, what) else { return nil }
        guard let value = DurationText.parse(text) else {
            fail(node, "\(what) '\(text)' is not a duration (examples: 30s, 15m, 4h, 1d, 1h30m)")
            return nil
        }
        return value
    }

    func location(_ node: Node) -> String {
        guard let mark = node.mark else { return path }
        return "\(path):\(mark.line)"
    }

    static func issue(from error: YamlError, file: String) -> ConfigIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return ConfigIssue(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(text)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigIssue(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                message: "duplicate keys: \(duplicates.joined(separator: ", "))"
            )
        default:
            return ConfigIssue(file: file, line: 0, column: 0, message: "YAML syntax: \(error)")
        }
    }
}
