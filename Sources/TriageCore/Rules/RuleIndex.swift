/// Which rules of a group could possibly match an incident, found by hashing instead of testing.
///
/// A rule whose top-level conditions require `source`, `severity`, `service` or a label to equal
/// one of some values, or its text to contain some words, is filed under one of those keys (the
/// most selective kind: labels, then words, then service, source, severity). Rules with no such
/// requirement are always candidates. For an incident, the candidates are the always-list plus the
/// rules filed under its own values and words: a handful of lookups whatever the number of rules.
struct RuleIndex: Sendable {
    enum Key: Hashable, Sendable {
        case source(String)
        case severity(String)
        case service(String)
        case label(String, String)
        /// A rule needing one of some words in a text field, filed under each word's hash.
        case word(RuleField, UInt64)
    }

    /// Rule positions per key, ascending.
    private var byKey: [Key: [Int]] = [:]
    private var always: [Int] = []
    private var labelNames: Set<String> = []
    private var usesSource = false
    private var usesSeverity = false
    private var usesService = false
    private var textFields: [RuleField] = []
    let count: Int

    /// - Parameter addedLabels: Labels some rule adds; a condition on those may hold through an
    ///   earlier rule's action rather than the incident, so it is never used as a key.
    init(_ rules: [Rule], addedLabels: Set<String> = []) {
        count = rules.count
        for (position, rule) in rules.enumerated() {
            guard let keys = Self.keys(for: rule.when, addedLabels: addedLabels) else {
                always.append(position)
                continue
            }
            for key in keys {
                byKey[key, default: []].append(position)
                switch key {
                case .source: usesSource = true
                case .severity: usesSeverity = true
                case .service: usesService = true
                case .label(let name, _): labelNames.insert(name)
                case .word(let field, _): if !textFields.contains(field) { textFields.append(field) }
                }
            }
        }
    }

    /// The keys to file a rule under: the values of its most selective required equality.
    static func keys(for condition: Condition, addedLabels: Set<String> = []) -> [Key]? {
        var best: (rank: Int, keys: [Key])?
        func consider(_ candidate: (Int, [Key])) {
            if best == nil || candidate.0 < best!.rank || (candidate.0 == best!.rank && candidate.1.count < best!.keys.count) {
                best = candidate
            }
        }
        for part in condition.conjuncts {
            if case .text(let field, let test) = part {
                switch test {
                case .containsAny(let phrases):
                    let compiled = phrases.compactMap(Phrase.init)
                    if !compiled.isEmpty, compiled.count == phrases.count {
                        consider((1, Array(Set(compiled.map { Key.word(field, $0.hashes[0]) }))))
                    }
                case .containsAll(let phrases):
                    if let first = phrases.lazy.compactMap(Phrase.init).first { consider((1, [.word(field, first.hashes[0])])) }
                case .similarTo:
                    break
                }
                continue
            }
            guard case .field(let field, let test) = part else { continue }
            let values: [String]
            switch test {
            case .equals(let value): values = [value]
            case .oneOf(let list) where !list.isEmpty:
                var seen: Set<String> = []
                values = list.filter { seen.insert($0).inserted }
            default: continue
            }
            let candidate: (Int, [Key])
            switch field {
            case .label(let name) where !addedLabels.contains(name): candidate = (0, values.map { .label(name, $0) })
            case .service: candidate = (2, values.map { .service($0.lowercased()) })
            case .source: candidate = (3, values.map { .source($0) })
            case .severity: candidate = (4, values.map { .severity($0.lowercased()) })
            default: continue
            }
            consider(candidate)
        }
        return best?.keys
    }

    /// Positions of the rules that may match the incident in `context`, ascending, each once.
    func candidates(for context: inout EvaluationContext) -> [Int] {
        let incident = context.incident
        var hits = always
        var lists = 0
        func add(_ key: Key) {
            guard let positions = byKey[key] else { return }
            hits.append(contentsOf: positions)
            lists += 1
        }
        if usesSource { add(.source(incident.source)) }
        if usesSeverity { add(.severity(incident.severity.rawValue)) }
        if usesService, let service = incident.service { add(.service(service.lowercased())) }
        if labelNames.count <= incident.labels.count {
            for name in labelNames { if let value = incident.labels[name] { add(.label(name, value)) } }
        } else {
            for (name, value) in incident.labels where labelNames.contains(name) { add(.label(name, value)) }
        }
        for field in textFields {
            let text = context.text(field)
            for hash in text.hashes { add(.word(field, hash)) }
        }
        if lists > 0 {
            hits.sort()
            if lists > 1 { hits = Self.unique(hits) }
        }
        return hits
    }

    /// A sorted list without repeats (a rule filed under two words the text both has).
    static func unique(_ sorted: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(sorted.count)
        for value in sorted where out.last != value { out.append(value) }
        return out
    }
}
