import TriageCore
import Yams

/// `redaction:` in `vendors.yaml`: named redaction profiles, and each vendor's `redaction:` (which
/// profile) and `fields:` (its allow-list).
///
/// ```yaml
/// redaction:
///   key_env: TRIAGE_REDACTION_KEY     # HMAC key for mode hash (at least 16 bytes)
///   profiles:
///     standard:
///       rules: [email, phone, iban, card, ipv4, ipv6, secret, {rule: email, mode: hash}]
///       mode: mask                    # default for this profile's rules: mask | hash | drop
///       custom:
///         - {name: employee-id, pattern: 'EMP-[0-9]{6}', mode: hash}
///       drop_fields: [labels.customer_email]
/// vendors:
///   - name: acme
///     redaction: standard
///     fields: [title, description, priority, service, labels.env]
/// ```
///
/// - Configuration keys:
///   - `key_env` (string, required when a rule hashes): the environment variable holding the key.
///     A missing or short variable is an error naming the variable, never its value.
///   - `profiles.NAME.rules` (list): built-in names, or `{rule: NAME, mode: MODE}`.
///   - `profiles.NAME.mode` (string, default `mask`): the mode of rules that do not give one.
///   - `profiles.NAME.custom` (list): `{name, pattern, mode}` user rules (Swift `Regex` syntax).
///   - `profiles.NAME.drop_fields` (list): fields never sent (``FieldAllowList`` names).
struct RedactionSection {
    var profiles: [String: RedactionProfile] = [:]

    static let keys: Set<String> = ["key_env", "profiles"]
    static let profileKeys: Set<String> = ["rules", "mode", "custom", "drop_fields"]
    /// The shortest hash key accepted, in bytes.
    static let minimumKeyBytes = 16

    static func read(_ node: Node?, file: YAMLFile, environment: [String: String]) -> RedactionSection {
        var section = RedactionSection()
        guard let node, let top = file.mapping(node, "redaction", allowed: keys) else { return section }
        let keyEnv = file.string(top["key_env"], "redaction.key_env")
        guard let profilesNode = top["profiles"] else {
            file.fail(node, "redaction needs 'profiles' (a mapping of profile names to rules)")
            return section
        }
        guard let profiles = profilesNode.mapping else {
            file.fail(profilesNode, "redaction.profiles must map profile names to {rules, mode, custom, drop_fields}")
            return section
        }
        var hashing: [String] = []
        for (key, value) in profiles {
            guard let name = file.string(key, "redaction profile name"), !name.isEmpty else { continue }
            guard let profile = readProfile(value, name: name, file: file) else { continue }
            if profile.hashes { hashing.append(name) }
            section.profiles[name] = profile
        }
        guard !hashing.isEmpty else { return section }
        let users = "profile\(hashing.count == 1 ? "" : "s") \(hashing.sorted().map { "'\($0)'" }.joined(separator: ", "))"
        guard let keyEnv, !keyEnv.isEmpty else {
            file.fail(node, "redaction.key_env is required: \(users) use mode hash, which needs a key from the environment")
            return section
        }
        guard let value = environment[keyEnv], !value.isEmpty else {
            file.fail(top["key_env"], "redaction.key_env: environment variable \(keyEnv) is not set (\(users) use mode hash)")
            return section
        }
        guard value.utf8.count >= minimumKeyBytes else {
            file.fail(
                top["key_env"],
                "redaction.key_env: environment variable \(keyEnv) is shorter than \(minimumKeyBytes) bytes; use a random key")
            return section
        }
        let key = RedactionKey(bytes: Array(value.utf8), variable: keyEnv)
        for name in hashing { section.profiles[name]?.key = key }
        return section
    }

    static func readProfile(_ node: Node, name: String, file: YAMLFile) -> RedactionProfile? {
        let path = "redaction.profiles.\(name)"
        guard let map = file.mapping(node, path, allowed: profileKeys) else { return nil }
        var mode = RedactionRule.Mode.mask
        if let node = map["mode"], let parsed = readMode(node, "\(path).mode", file: file) { mode = parsed }
        var rules: [RedactionRule] = []
        var names: Set<String> = []
        for (index, entry) in file.sequence(map["rules"], "\(path).rules").enumerated() {
            let at = "\(path).rules[\(index)]"
            var ruleName: String?
            var ruleMode = mode
            if entry.scalar != nil {
                ruleName = file.string(entry, at)
            } else if let rule = file.mapping(entry, at, allowed: ["rule", "mode"]) {
                ruleName = file.requiredString(rule, "rule", in: entry, at)
                if let node = rule["mode"], let parsed = readMode(node, "\(at).mode", file: file) { ruleMode = parsed }
            }
            guard let ruleName else { continue }
            guard let rule = RedactionRule.builtIn(ruleName, mode: ruleMode) else {
                file.fail(
                    entry, "\(at): unknown rule '\(ruleName)' (built-ins: \(RedactionRule.builtInNames.sorted().joined(separator: ", ")); "
                        + "write your own under custom: with a pattern)")
                continue
            }
            guard names.insert(ruleName).inserted else {
                file.fail(entry, "\(at): rule '\(ruleName)' is listed twice")
                continue
            }
            rules.append(rule)
        }
        for (index, entry) in file.sequence(map["custom"], "\(path).custom").enumerated() {
            let at = "\(path).custom[\(index)]"
            guard let custom = file.mapping(entry, at, allowed: ["name", "pattern", "mode"]),
                let ruleName = file.requiredString(custom, "name", in: entry, at),
                let pattern = file.requiredString(custom, "pattern", in: entry, at)
            else { continue }
            guard RedactionRule.isValidName(ruleName) else {
                file.fail(custom["name"], "\(at).name '\(ruleName)' must use a-z, 0-9, '-' and '_' and not be a built-in's name")
                continue
            }
            guard names.insert(ruleName).inserted else {
                file.fail(custom["name"], "\(at): rule '\(ruleName)' is defined twice")
                continue
            }
            var ruleMode = mode
            if let node = custom["mode"], let parsed = readMode(node, "\(at).mode", file: file) { ruleMode = parsed }
            do {
                rules.append(try RedactionRule.pattern(name: ruleName, pattern, mode: ruleMode))
            } catch {
                file.fail(custom["pattern"], "\(at).pattern: bad regular expression '\(pattern)': \(error.description)")
            }
        }
        var dropFields: [String] = []
        for (index, entry) in file.sequence(map["drop_fields"], "\(path).drop_fields").enumerated() {
            guard let field = file.string(entry, "\(path).drop_fields[\(index)]") else { continue }
            if let problem = FieldAllowList.problem(with: field) {
                file.fail(entry, "\(path).drop_fields[\(index)]: \(problem)")
            } else {
                dropFields.append(field)
            }
        }
        if rules.isEmpty, dropFields.isEmpty, map["rules"] == nil, map["custom"] == nil, map["drop_fields"] == nil {
            file.fail(node, "\(path) has no rules, custom rules or drop_fields: it would redact nothing")
            return nil
        }
        return RedactionProfile(name: name, rules: rules, dropFields: dropFields)
    }

    static func readMode(_ node: Node, _ what: String, file: YAMLFile) -> RedactionRule.Mode? {
        guard let text = file.string(node, what) else { return nil }
        guard let mode = RedactionRule.Mode(rawValue: text) else {
            file.fail(node, "\(what): '\(text)' is not mask, hash or drop")
            return nil
        }
        return mode
    }

    /// A vendor's `redaction: NAME`: the profile, or `nil` (reported) when there is no such profile.
    func profile(_ node: Node?, vendor: String, file: YAMLFile) -> RedactionProfile? {
        guard let node, let name = file.string(node, "redaction of vendor '\(vendor)'") else { return nil }
        guard let profile = profiles[name] else {
            let known = profiles.keys.sorted().joined(separator: ", ")
            file.fail(
                node,
                "vendor '\(vendor)' redaction: unknown profile '\(name)' "
                    + (known.isEmpty ? "(no profiles are defined under redaction.profiles)" : "(profiles: \(known))"))
            return nil
        }
        return profile
    }

    /// A vendor's `fields:` allow-list, or `nil` when it has none (or it is wrong, reported).
    static func fields(_ node: Node?, vendor: String, file: YAMLFile) -> FieldAllowList? {
        guard let node else { return nil }
        let what = "fields of vendor '\(vendor)'"
        var names: [String] = []
        var valid = true
        for (index, entry) in file.sequence(node, what).enumerated() {
            guard let name = file.string(entry, "\(what)[\(index)]") else {
                valid = false
                continue
            }
            if !FieldAllowList.alwaysSent.contains(name), let problem = FieldAllowList.problem(with: name) {
                file.fail(entry, "\(what)[\(index)]: \(problem)")
                valid = false
            }
            names.append(name)
        }
        guard valid else { return nil }
        return try? FieldAllowList(names)
    }
}
