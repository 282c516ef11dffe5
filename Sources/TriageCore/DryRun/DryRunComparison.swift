import FoundationEssentials

/// Two rule sets on the same input: the incidents whose outcome changes, grouped by the change.
public struct DryRunComparison: Sendable, Codable, Equatable {
    public struct Group: Sendable, Codable, Equatable {
        /// `vendor acme-dba → globex-infra`, `priority P3 → P2`, `category none → database`.
        public var change: String
        public var incidents: [String]
    }

    public var compared: Int
    public var changed: Int
    public var groups: [Group]

    /// Pairs outcomes by input id (both runs read the same input).
    public init(base: [DryRun.Outcome], other: [DryRun.Outcome]) {
        let others = Dictionary(other.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var builder = Builder()
        for outcome in base {
            if let that = others[outcome.id] { builder.add(outcome, that) }
        }
        self = builder.comparison
    }

    /// Compares pairs one at a time (a streamed run decides each incident under both rule sets).
    public struct Builder {
        var compared = 0
        var changed = 0
        var byChange: [String: [String]] = [:]

        public init() {}

        public mutating func add(_ outcome: DryRun.Outcome, _ that: DryRun.Outcome) {
            compared += 1
            let pairs: [(String, String?, String?)] = [
                ("vendor", outcome.vendor, that.vendor), ("priority", outcome.priority, that.priority),
                ("category", outcome.category, that.category),
                ("suppressed", outcome.suppressed.map { _ in "yes" }, that.suppressed.map { _ in "yes" }),
            ]
            var differs = false
            for (field, before, after) in pairs where before != after {
                byChange["\(field) \(before ?? "none") → \(after ?? "none")", default: []].append(outcome.id)
                differs = true
            }
            if differs { changed += 1 }
        }

        public var comparison: DryRunComparison {
            DryRunComparison(
                compared: compared, changed: changed,
                groups: byChange.map { Group(change: $0.key, incidents: $0.value) }
                    .sorted { ($1.incidents.count, $0.change) < ($0.incidents.count, $1.change) })
        }
    }

    init(compared: Int, changed: Int, groups: [Group]) {
        self.compared = compared
        self.changed = changed
        self.groups = groups
    }

    public var text: String {
        var lines = ["\(changed) of \(compared) incidents change"]
        for group in groups {
            let sample = group.incidents.prefix(5).joined(separator: ", ") + (group.incidents.count > 5 ? ", …" : "")
            lines.append("  \(group.change): \(group.incidents.count) (\(sample))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
