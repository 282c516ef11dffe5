import TriageCore
import Yams

/// `sources.yaml`: which webhook paths exist, their payload kind and their token variable.
///
/// ```yaml
/// sources:
///   - name: alertmanager          # served at POST /webhooks/alertmanager
///     kind: alertmanager          # generic | alertmanager
///     token_env: TRIAGE_ALERTMANAGER_TOKEN   # optional; unset = loopback only
/// ```
enum SourcesSection {
    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")

    static func read(_ file: YAMLFile) -> [SourceDefinition] {
        guard let root = file.root, let top = file.mapping(root, "sources.yaml", allowed: ["sources"]) else {
            return []
        }
        guard let list = top["sources"] else {
            file.fail(root, "sources.yaml needs a 'sources' list")
            return []
        }
        var seen: Set<String> = []
        var result: [SourceDefinition] = []
        for node in file.sequence(list, "sources") {
            guard let map = file.mapping(node, "source", allowed: ["name", "kind", "token_env"]) else { continue }
            let name = file.requiredString(map, "name", in: node, "source")
            let kindText = file.requiredString(map, "kind", in: node, "source")
            let tokenEnv = file.string(map["token_env"], "source.token_env")
            if let name {
                if !name.lowercased().allSatisfy({ nameCharacters.contains($0) }) || name != name.lowercased() {
                    file.fail(map["name"], "source name '\(name)' may use only a-z, 0-9, '-' and '_'")
                } else if !seen.insert(name).inserted {
                    file.fail(map["name"], "source '\(name)' is defined twice")
                }
            }
            var kind: SourceDefinition.Kind?
            if let kindText {
                kind = SourceDefinition.Kind(rawValue: kindText)
                if kind == nil {
                    let known = SourceDefinition.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                    file.fail(map["kind"], "unknown source kind '\(kindText)' (known: \(known))")
                }
            }
            if let name, let kind {
                result.append(SourceDefinition(name: name, kind: kind, tokenEnv: tokenEnv))
            }
        }
        return result
    }
}
