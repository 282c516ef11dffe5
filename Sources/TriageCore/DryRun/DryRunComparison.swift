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
        var byChange: [String: [String]] = [:]
        var changedIDs: Set<String> = []
        for outcome in base {
            guard let that = others[outcome.id] else { continue }
            let pairs: [(String, String?, String?)] = [
                ("vendor", outcome.vendor, that.vendor), ("priority", outcome.priority, that.priority),
                ("category", outcome.category, that.category), ("suppressed", outcome.suppressed.map { _ in "yes" }, that.suppressed.map { _ in "yes" }),
            ]
            for (field, before, after) in pairs where before != after {
                byChange["\(field) \(before ?? "none") → \(after ?? "none")", default: []].append(outcome.id)
                changedIDs.insert(outcome.id)
            }
        }
        compared = base.filter { others[$0.id] != nil }.count
        changed = changedIDs.count
        groups = byChange.map { Group(change: $0.key, incidents: $0.value) }
            .sorted { ($1.incidents.count, $0.change) < ($0.incidents.count, $1.change) }
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
