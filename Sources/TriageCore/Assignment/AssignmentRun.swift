import FoundationEssentials

/// One decision in progress: the pinned vendor and its backup chain, the default vendor and the
/// internal queue (general selection is in `AssignmentRun+Selection.swift`).
struct AssignmentRun {
    let assigner: VendorAssigner
    let request: AssignmentRequest
    let states: [String: VendorState]
    let explain: Bool
    let query: VendorIndex.Query
    var candidates: [CandidateReport] = []
    var reasons: [String] = []

    init(assigner: VendorAssigner, request: AssignmentRequest, states: [String: VendorState], explain: Bool) {
        self.assigner = assigner
        self.request = request
        self.states = states
        self.explain = explain
        self.query = assigner.index.prepare(request, states: states)
    }

    mutating func decide() -> AssignmentResult {
        if let pinned = request.pinned, let result = pinnedChain(pinned) { return result }
        if let result = general() { return result }
        return fallback()
    }

    func exclusion(_ i: Int, scoped: Bool) -> ExclusionReason? {
        assigner.index.exclusion(of: i, scoped: scoped, query, request, states)
    }

    /// Adds an explanation line (callers on hot paths check `explain` first, to skip building it).
    mutating func note(_ line: String) {
        if explain { reasons.append(line) }
    }

    mutating func excluded(_ i: Int, _ why: ExclusionReason, role: String = "") {
        guard explain else { return }
        let name = assigner.vendors[i].name
        let text = why.text(request)
        candidates.append(CandidateReport(name: name, excluded: text))
        reasons.append("candidate '\(name)'\(role): excluded: \(text)")
    }

    func finish(_ i: Int?, _ route: AssignmentResult.Route) -> AssignmentResult {
        AssignmentResult(
            vendor: i.map { assigner.vendors[$0] }, toInternalQueue: i == nil, route: route, candidates: candidates,
            reasons: reasons)
    }

    /// The pinned vendor if eligible, else the first eligible vendor of its backup chain; `nil`
    /// (after saying why) to go on with general selection.
    mutating func pinnedChain(_ pinned: String) -> AssignmentResult? {
        guard let start = assigner.index.position[pinned] else {
            note("rule names vendor '\(pinned)', which is not configured; general selection follows")
            return nil
        }
        var visited: Set<Int> = []
        var current = start
        var previous: Int?
        while true {
            visited.insert(current)
            let vendor = assigner.vendors[current]
            guard let why = exclusion(current, scoped: false) else {
                if explain { candidates.append(CandidateReport(name: vendor.name)) }
                if previous == nil {
                    if explain { note("vendor '\(vendor.name)' named by rule") }
                    return finish(current, .pinned)
                }
                note("chose '\(vendor.name)': first eligible vendor in the backup chain of '\(pinned)' (named by rule)")
                return finish(current, .backup)
            }
            if explain {
                let role = previous.map { " (backup of '\(assigner.vendors[$0].name)')" } ?? " (named by rule)"
                excluded(current, why, role: role)
            }
            guard let next = vendor.backup, !next.isEmpty else { break }
            guard let j = assigner.index.position[next] else {
                note("backup '\(next)' of '\(vendor.name)' is not configured; the chain stops")
                break
            }
            if visited.contains(j) {
                note("backup chain of '\(pinned)' loops back to '\(next)'; the chain stops")
                break
            }
            previous = current
            current = j
        }
        note("no eligible vendor in the backup chain of '\(pinned)'; general selection follows")
        return nil
    }

    /// The default vendor if eligible (skill filter and pool ignored), else the internal queue.
    mutating func fallback() -> AssignmentResult {
        if let name = assigner.defaultVendor {
            if let j = assigner.index.position[name] {
                if let why = exclusion(j, scoped: false) {
                    excluded(j, why, role: " (default vendor)")
                } else {
                    if explain { candidates.append(CandidateReport(name: name)) }
                    note("chose default vendor '\(name)': no other vendor was eligible")
                    return finish(j, .defaultVendor)
                }
            } else {
                note("default vendor '\(name)' is not configured")
            }
        } else {
            note("no default vendor configured")
        }
        var why: [String] = []
        for (i, vendor) in assigner.vendors.enumerated() {
            let reason = exclusion(i, scoped: true) ?? .notConfigured
            why.append("\(vendor.name): \(reason.text(request))")
        }
        let list = why.isEmpty ? "no vendors configured" : why.joined(separator: "; ")
        reasons.append(
            "ALERT: nobody eligible; routed to internal queue '\(assigner.weights.internalQueue)' (\(list))")
        return finish(nil, .internalQueue)
    }
}
