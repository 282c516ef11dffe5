import FoundationEssentials

/// General selection: every vendor checked with the skill filter and pool, the eligible ones
/// scored, the best one chosen (or, in a share group, the member furthest below its share).
extension AssignmentRun {
    struct Scored {
        var index: Int
        var state: VendorState
        var cost: Double
        var attainment = 0.0
        var load = 0.0
        var price = 0.0
        var affinity = 0.0
        var score = 0.0
        /// The score in units of 1e-9: equal keys are a tie.
        var key: Int64 = 0
    }

    /// The best eligible vendor, or `nil` (after explaining every exclusion) when none is.
    mutating func general() -> AssignmentResult? {
        let vendors = assigner.vendors
        if explain, !request.pool.isEmpty { note("vendor pool from rule: \(request.pool.joined(separator: ", "))") }
        var eligible: [Scored] = []
        var exclusions: [ExclusionReason?] = explain ? Array(repeating: nil, count: vendors.count) : []
        for i in vendors.indices {
            if let why = exclusion(i, scoped: true) {
                if explain { exclusions[i] = why }
            } else {
                eligible.append(
                    Scored(
                        index: i, state: states[vendors[i].name] ?? VendorState(),
                        cost: vendors[i].cost(for: request.priority)))
            }
        }
        guard !eligible.isEmpty else {
            guard explain else { return nil }
            for i in vendors.indices { if let why = exclusions[i] { excluded(i, why) } }
            note("no vendor is eligible")
            return nil
        }
        score(&eligible)
        var best = 0
        for k in eligible.indices.dropFirst() where better(eligible[k], than: eligible[best]) { best = k }
        var chosen = best
        var route = AssignmentResult.Route.highestScore
        var shareLine: String?
        if let split = shareSplit(eligible, best: best) {
            chosen = split.member
            route = .shareSplit
            shareLine = split.line
        }
        guard explain else { return finish(eligible[chosen].index, route) }
        var scoredAt = [Int](repeating: -1, count: vendors.count)
        for (k, item) in eligible.enumerated() { scoredAt[item.index] = k }
        for i in vendors.indices {
            if let why = exclusions[i] {
                excluded(i, why)
                continue
            }
            let item = eligible[scoredAt[i]]
            let f = { VendorAssigner.fixed($0) }
            candidates.append(
                CandidateReport(
                    name: vendors[i].name, score: item.score,
                    parts: ["attainment": item.attainment, "load": item.load, "cost": item.price, "affinity": item.affinity]))
            reasons.append(
                "candidate '\(vendors[i].name)': score \(f(item.score)) (attainment \(f(item.attainment)), "
                    + "load \(f(item.load)), cost \(f(item.price)), affinity \(f(item.affinity)))")
        }
        reasons.append(shareLine ?? choiceLine(eligible, best: best))
        return finish(eligible[chosen].index, route)
    }

    /// Fills in each candidate's parts (already weighted) and score.
    func score(_ eligible: inout [Scored]) {
        let weights = assigner.weights
        let total = weights.total
        let scale = total > 0 ? 1 / total : 0
        var minCost = Double.infinity
        var maxHandled = 0
        let service = request.service.flatMap { $0.isEmpty ? nil : $0 }
        for item in eligible {
            minCost = min(minCost, max(0, item.cost))
            if let service { maxHandled = max(maxHandled, item.state.affinity[service] ?? 0) }
        }
        let vendors = assigner.vendors
        for k in eligible.indices {
            let item = eligible[k]
            let attainment = min(1, max(0, item.state.attainment ?? 0.5))
            let open = max(0, item.state.openIncidents)
            let load: Double
            if let capacity = vendors[item.index].capacity {
                load = capacity > 0 ? min(1, max(0, 1 - Double(open) / Double(capacity))) : 0
            } else {
                load = 1 / (1 + Double(open))
            }
            let cost = max(0, item.cost)
            let price = cost <= 0 ? 1 : minCost / cost
            var affinity = 0.0
            if let service, maxHandled > 0 { affinity = Double(max(0, item.state.affinity[service] ?? 0)) / Double(maxHandled) }
            eligible[k].attainment = max(0, weights.attainment) * scale * attainment
            eligible[k].load = max(0, weights.load) * scale * load
            eligible[k].price = max(0, weights.cost) * scale * price
            eligible[k].affinity = max(0, weights.affinity) * scale * affinity
            let score = eligible[k].attainment + eligible[k].load + eligible[k].price + eligible[k].affinity
            eligible[k].score = score
            eligible[k].key = Int64((score * 1e9).rounded())
        }
    }

    /// Higher score, then lower cost, then smaller name, then earlier in the configuration.
    func better(_ a: Scored, than b: Scored) -> Bool {
        if a.key != b.key { return a.key > b.key }
        if a.cost != b.cost { return a.cost < b.cost }
        let (x, y) = (assigner.vendors[a.index].name, assigner.vendors[b.index].name)
        if x != y { return x < y }
        return a.index < b.index
    }

    /// Why the best-scoring vendor won: alone, by score, or by a tie-break.
    func choiceLine(_ eligible: [Scored], best: Int) -> String {
        let winner = eligible[best]
        let name = assigner.vendors[winner.index].name
        guard eligible.count > 1 else { return "chose '\(name)': the only eligible vendor" }
        var second: Int?
        for k in eligible.indices where k != best {
            if second == nil || better(eligible[k], than: eligible[second!]) { second = k }
        }
        let runnerUp = eligible[second!]
        let other = assigner.vendors[runnerUp.index].name
        guard runnerUp.key == winner.key else { return "chose '\(name)': highest score" }
        if runnerUp.cost != winner.cost {
            return "chose '\(name)': highest score, tied with '\(other)'; lower cost "
                + "(\(VendorAssigner.format(winner.cost)) vs \(VendorAssigner.format(runnerUp.cost)))"
        }
        return "chose '\(name)': highest score, tied with '\(other)' at the same cost; first by name"
    }

    /// The share-group member furthest below its share, when the best-scoring vendor is in a
    /// share group with at least one other eligible member.
    func shareSplit(_ eligible: [Scored], best: Int) -> (member: Int, line: String)? {
        let vendors = assigner.vendors
        let leader = vendors[eligible[best].index]
        guard let group = leader.shareGroup, (leader.share ?? 0) > 0 else { return nil }
        var members: [Int] = []
        var totalShare = 0.0
        var totalAssigned = 0
        for (k, item) in eligible.enumerated() {
            guard vendors[item.index].shareGroup == group, let share = vendors[item.index].share, share > 0 else { continue }
            members.append(k)
            totalShare += share
            totalAssigned += max(0, item.state.assigned)
        }
        guard members.count >= 2 else { return nil }
        func had(_ k: Int) -> Double {
            totalAssigned > 0 ? Double(max(0, eligible[k].state.assigned)) / Double(totalAssigned) : 0
        }
        func deficit(_ k: Int) -> Double { (vendors[eligible[k].index].share ?? 0) / totalShare - had(k) }
        var pick = members[0]
        for k in members.dropFirst() {
            let (d, e) = (deficit(k), deficit(pick))
            let (x, y) = (vendors[eligible[k].index].name, vendors[eligible[pick].index].name)
            if d > e || (d == e && x < y) { pick = k }
        }
        guard explain else { return (pick, "") }
        let name = vendors[eligible[pick].index].name
        let target = (vendors[eligible[pick].index].share ?? 0) / totalShare
        let leaderNote = pick == best ? "also the best score" : "best score was '\(leader.name)'"
        return (
            pick,
            "chose '\(name)': share group '\(group)' split, furthest below its share (target "
                + "\(VendorAssigner.fixed(target * 100, 1))%, had \(VendorAssigner.fixed(had(pick) * 100, 1))% "
                + "of \(totalAssigned) assigned); \(leaderNote)"
        )
    }
}
