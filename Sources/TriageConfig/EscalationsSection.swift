import TriageCore
import Yams

/// `escalations:` in `vendors.yaml`: named ladders of steps that fire as an SLA budget is spent.
/// A vendor's `sla:` or a rules.yaml SLA policy names one with `escalation: NAME`.
///
/// ```yaml
/// escalations:
///   standard:
///     - {at: 50%, notify: vendor}                      # vendor: the assigned vendor
///     - {at: 75%, notify: [vendor, duty-manager]}      # or endpoints defined under notify:
///     - {at: 90%, raise_priority: 1}                   # levels to raise, 1…4 (never above P1)
///     - {at: 100%, reassign: backup, notify: on-call, repeat: 30m, repeat_limit: 6}
///     - {remaining: 5m, target: acknowledge, notify: vendor, tag: ack-at-risk}
///   quiet: []                                          # no steps: a policy can turn escalation off
/// ```
/// Each step has exactly one trigger: `at`, the share of the budget used (`50%`, `12.5%` or `50`;
/// above 0, at most 100), or `remaining`, the time left (a duration above 0). `target` is the
/// clock it watches: `resolve` (default) or `acknowledge`. Actions, at least one: `notify` (a name
/// or a list), `raise_priority`, `reassign: backup` (the only value) and `tag` (a tag or a list).
/// `repeat` (at least 1m) fires the step again while the clock runs, up to `repeat_limit` more
/// times (1…100, default 10; only with `repeat`). Steps keep their order, and a step's actions
/// the order they are written in.
enum EscalationsSection {
    static let stepKeys: Set<String> = [
        "at", "remaining", "target", "notify", "raise_priority", "reassign", "tag", "repeat", "repeat_limit",
    ]
    static let actionKeys = "notify, raise_priority, reassign or tag"

    /// The ladders by name; `notify` holds the endpoint names steps may use besides `vendor`.
    static func read(_ node: Node?, file: YAMLFile, notify: Set<String>) -> [String: EscalationLadder] {
        guard let node else { return [:] }
        guard let map = node.mapping else {
            file.fail(node, "escalations must map ladder names to lists of steps")
            return [:]
        }
        var ladders: [String: EscalationLadder] = [:]
        for (key, value) in map {
            guard let name = file.string(key, "escalation name") else { continue }
            var steps: [EscalationStep] = []
            for (index, stepNode) in file.sequence(value, "escalation '\(name)'").enumerated() {
                let what = "escalation '\(name)' step \(index + 1)"
                if let step = readStep(stepNode, what: what, file: file, notify: notify) { steps.append(step) }
            }
            ladders[name] = EscalationLadder(name: name, steps: steps)
        }
        return ladders
    }

    static func readStep(_ node: Node, what: String, file: YAMLFile, notify: Set<String>) -> EscalationStep? {
        guard let map = file.mapping(node, what, allowed: stepKeys) else { return nil }
        let trigger = readTrigger(map, in: node, what: what, file: file)
        var target = SLATimer.Kind.resolve
        if let text = file.string(map["target"], "\(what) target") {
            if let kind = SLATimer.Kind(rawValue: text) { target = kind } else {
                file.fail(map["target"], "\(what): target '\(text)' is not acknowledge or resolve")
            }
        }
        var actions: [EscalationAction] = []
        var hasActionKey = false
        for (key, value) in map {
            switch key.string {
            case "notify":
                hasActionKey = true
                actions += notifyActions(value, what: what, file: file, known: notify)
            case "raise_priority":
                hasActionKey = true
                guard let levels = file.int(value, "\(what) raise_priority") else { continue }
                if (1...4).contains(levels) { actions.append(.raisePriority(levels)) } else {
                    file.fail(value, "\(what): raise_priority must be between 1 and 4 (levels to raise, never above P1)")
                }
            case "reassign":
                hasActionKey = true
                guard let text = file.string(value, "\(what) reassign") else { continue }
                if text == "backup" { actions.append(.reassignToBackup) } else {
                    file.fail(value, "\(what): reassign '\(text)' is not supported (the only value is backup: the vendor's backup)")
                }
            case "tag":
                hasActionKey = true
                for tag in file.strings(value, "\(what) tag") {
                    if tag.isEmpty { file.fail(value, "\(what): tag must not be empty") } else { actions.append(.addTag(tag)) }
                }
            default:
                continue
            }
        }
        if !hasActionKey { file.fail(node, "\(what) has no action (give it \(actionKeys))") }
        var repeatEvery: Duration?
        if let every = file.duration(map["repeat"], "\(what) repeat") {
            if every >= .seconds(60) { repeatEvery = every } else {
                file.fail(map["repeat"], "\(what): repeat must be at least 1m")
            }
        }
        var repeatLimit = 10
        if let limitNode = map["repeat_limit"], let limit = file.int(limitNode, "\(what) repeat_limit") {
            if map["repeat"] == nil {
                file.fail(limitNode, "\(what): repeat_limit needs repeat (how often to fire the step again)")
            } else if (1...100).contains(limit) {
                repeatLimit = limit
            } else {
                file.fail(limitNode, "\(what): repeat_limit must be between 1 and 100")
            }
        }
        guard let trigger, !actions.isEmpty else { return nil }
        return EscalationStep(
            target: target, trigger: trigger, actions: actions, repeatEvery: repeatEvery, repeatLimit: repeatLimit)
    }

    /// Exactly one of `at` and `remaining`.
    static func readTrigger(_ map: Node.Mapping, in node: Node, what: String, file: YAMLFile) -> EscalationStep.Trigger? {
        switch (map["at"], map["remaining"]) {
        case (nil, nil):
            file.fail(node, "\(what) needs 'at' (share of the budget used, e.g. 50%) or 'remaining' (time left, e.g. 5m)")
            return nil
        case (.some, .some):
            file.fail(node, "\(what) has both 'at' and 'remaining'; give only one")
            return nil
        case (let at?, nil):
            return percent(at, what: what, file: file).map { .percent($0) }
        case (nil, let remaining?):
            guard let left = file.duration(remaining, "\(what) remaining") else { return nil }
            guard left > .zero else {
                file.fail(remaining, "\(what): remaining must be above 0")
                return nil
            }
            return .remaining(left)
        }
    }

    /// `50%`, `12.5%` or `50`: above 0, at most 100.
    static func percent(_ node: Node, what: String, file: YAMLFile) -> Double? {
        guard let text = node.scalar?.string else {
            file.fail(node, "\(what): at must be a percentage such as 50%")
            return nil
        }
        var number = Substring(text)
        while number.last?.isWhitespace == true { number.removeLast() }
        if number.hasSuffix("%") { number.removeLast() }
        guard let value = Double(number), value.isFinite else {
            file.fail(node, "\(what): at '\(text)' is not a percentage (examples: 50%, 12.5%, 100%)")
            return nil
        }
        guard value > 0, value <= 100 else {
            file.fail(node, "\(what): at '\(text)' must be above 0% and at most 100%")
            return nil
        }
        return value
    }

    /// `notify: NAME` or `notify: [A, B]`; each `vendor` or a name in `known`.
    static func notifyActions(_ node: Node, what: String, file: YAMLFile, known: Set<String>) -> [EscalationAction] {
        let entries = node.scalar != nil ? [node] : file.sequence(node, "\(what) notify")
        if entries.isEmpty, node.sequence != nil {
            file.fail(node, "\(what): notify must name at least one endpoint")
        }
        return entries.compactMap { entry in
            guard let name = file.string(entry, "an entry of \(what) notify") else { return nil }
            guard name == NotifySection.vendor || known.contains(name) else {
                let names = ([NotifySection.vendor] + known.sorted()).joined(separator: ", ")
                file.fail(entry, "\(what): notify '\(name)' is not vendor or an endpoint defined under notify (known: \(names))")
                return nil
            }
            return .notify(name)
        }
    }
}
