/// Rules that can never match, found before they silently do nothing.
public enum RuleLint {
    public struct Problem: Sendable, Equatable {
        /// The rule's position in its group.
        public var index: Int
        public var rule: String
        public var message: String
    }

    /// In a first-match group, rules below one that matches everything (or has exactly the same
    /// conditions) and ends the group can never run.
    public static func unreachable(_ group: RuleGroup) -> [Problem] {
        guard group.mode == .first else { return [] }
        var problems: [Problem] = []
        var stoppers: [Rule] = []
        for (index, rule) in group.rules.enumerated() {
            if let blocker = stoppers.first(where: { $0.when.conjuncts.isEmpty }) {
                problems.append(
                    Problem(
                        index: index, rule: rule.name,
                        message: "rule '\(rule.name)' can never match: rule '\(blocker.name)'\(blocker.originSuffix) "
                            + "above it matches every incident and ends the group"))
            } else if let twin = stoppers.first(where: { $0.when == rule.when }) {
                problems.append(
                    Problem(
                        index: index, rule: rule.name,
                        message: "rule '\(rule.name)' can never match: rule '\(twin.name)'\(twin.originSuffix) "
                            + "above it has the same conditions and ends the group"))
            }
            if !rule.continueMatching { stoppers.append(rule) }
        }
        return problems
    }

    /// Rules after a rule that matches everything and says `stop: true` can never run.
    public static func afterStop(_ groups: [RuleGroup]) -> [Problem] {
        var problems: [Problem] = []
        var stopper: (rule: Rule, group: Int)?
        for (groupIndex, group) in groups.enumerated() {
            for (index, rule) in group.rules.enumerated() {
                if let (blocker, blockerGroup) = stopper {
                    // Within a first-match group, `unreachable` already reports these.
                    let reported = blockerGroup == groupIndex && group.mode == .first && !blocker.continueMatching
                    if !reported {
                        problems.append(
                            Problem(
                                index: index, rule: rule.name,
                                message: "rule '\(rule.name)' can never run: rule '\(blocker.name)'\(blocker.originSuffix) "
                                    + "matches every incident and stops evaluation"))
                    }
                } else if rule.then.stop, rule.when.conjuncts.isEmpty {
                    stopper = (rule, groupIndex)
                }
            }
        }
        return problems
    }
}
