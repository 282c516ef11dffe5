import FoundationEssentials

/// The vendors prepared for fast eligibility checks: names, skills, services, groups and languages
/// folded to lowercase and interned as small integers, priorities as bit masks.
///
/// The eligibility checks, in this order (the first failure is the recorded reason):
/// 1. enabled (`false` = maintenance: receives nothing), and not disabled by an operator
///    (``VendorState/disabledBecause``);
/// 2. in the rule's pool, when there is one (general selection only);
/// 3. contract active: the local date at `now` in the vendor calendar's zone (UTC without a
///    calendar) is within `contractStart…contractEnd`, both inclusive;
/// 4. priority accepted (`priorities` empty = all);
/// 5. skill match (general selection only): the request's category is in `skills`, or its service
///    in `services`, or its group in `groups`, case-insensitive. A request with none of the three
///    matches nobody, unless a pool decided the scope (then pool members need no skill);
/// 6. language: when the request has one and the vendor lists languages, one of them equals it or
///    its primary subtag (`fr-CA` → `fr`), case-insensitive;
/// 7. below capacity: open incidents `<` `capacity`, and open incidents of the priority `<`
///    `capacityByPriority[priority]`;
/// 8. business hours: when the priority is in `hoursRequiredFor` and the vendor has a calendar, it
///    is open at `now` (holidays closed, in the calendar's zone).
struct VendorIndex: Sendable {
    /// Everything the checks need about one vendor, as plain values (copying it costs nothing).
    struct Entry: Sendable {
        /// Ranges of ``VendorIndex/ids`` holding the interned skills, services, groups, languages.
        var skills: Range<Int> = 0..<0
        var services: Range<Int> = 0..<0
        var groups: Range<Int> = 0..<0
        var languages: Range<Int> = 0..<0
        var enabled = true
        /// Accepted priorities; 0 = all.
        var priorities: UInt8 = 0
        /// Priorities needing business hours (0 without a calendar).
        var hoursRequired: UInt8 = 0
        /// Priorities with a capacity of their own.
        var priorityCapacities: UInt8 = 0
        /// Total capacity; -1 = unlimited.
        var capacity = -1
        /// Contract days since the epoch, inclusive.
        var firstDay = Int.min
        var lastDay = Int.max
        /// The calendar zone's offset when it never changes (`nil`: look it up at `now`).
        var fixedOffset: Int? = 0
    }

    /// A request with its scope resolved to interned ids (-1: absent or known to no vendor).
    struct Query {
        var category: Int32 = -1
        var service: Int32 = -1
        var group: Int32 = -1
        var hasScope = false
        var language: String?
        var languageIDs: (Int32, Int32) = (-1, -1)
        var priority: UInt8 = 0
        /// Per vendor position, whether it is in the rule's pool; `nil` = no pool.
        var inPool: [Bool]?
        /// Per vendor position, the operator's reason for disabling it; `nil` = none is disabled
        /// (the common case costs one pass over the states, no lookups).
        var disabled: [String?]?
        /// Seconds since the epoch at `now`.
        var second: Int64 = 0
    }

    let vendors: [Vendor]
    private(set) var entries: [Entry] = []
    private(set) var ids: [Int32] = []
    /// Vendor name → position (the first vendor of a name wins).
    private(set) var position: [String: Int] = [:]
    private var categories: [String: Int32] = [:]
    private var services: [String: Int32] = [:]
    private var groups: [String: Int32] = [:]
    private var languages: [String: Int32] = [:]

    init(_ vendors: [Vendor]) {
        self.vendors = vendors
        entries.reserveCapacity(vendors.count)
        for (i, vendor) in vendors.enumerated() {
            if position[vendor.name] == nil { position[vendor.name] = i }
            var entry = Entry()
            entry.skills = Self.append(vendor.skills, to: &categories, ids: &ids)
            entry.services = Self.append(vendor.services, to: &services, ids: &ids)
            entry.groups = Self.append(vendor.groups, to: &groups, ids: &ids)
            entry.languages = Self.append(vendor.languages, to: &languages, ids: &ids)
            entry.enabled = vendor.enabled
            entry.priorities = vendor.priorities.reduce(0) { $0 | $1.bit }
            entry.hoursRequired = vendor.calendar == nil ? 0 : vendor.hoursRequiredFor.reduce(0) { $0 | $1.bit }
            entry.priorityCapacities = vendor.capacityByPriority.keys.reduce(0) { $0 | $1.bit }
            entry.capacity = vendor.capacity ?? -1
            entry.firstDay = vendor.contractStart?.daysSinceEpoch ?? Int.min
            entry.lastDay = vendor.contractEnd?.daysSinceEpoch ?? Int.max
            let zone = vendor.calendar?.zone ?? .utc
            entry.fixedOffset = zone.transitions.isEmpty && zone.footer == nil ? zone.initialOffset : nil
            entries.append(entry)
        }
    }

    private static func append(_ values: [String], to table: inout [String: Int32], ids: inout [Int32]) -> Range<Int> {
        let start = ids.count
        for value in values {
            let key = value.lowercased()
            if let id = table[key] {
                ids.append(id)
            } else {
                let id = Int32(table.count)
                table[key] = id
                ids.append(id)
            }
        }
        return start..<ids.count
    }

    private func id(_ value: String?, in table: [String: Int32]) -> Int32 {
        guard let value, !value.isEmpty else { return -1 }
        return table[value.lowercased()] ?? -1
    }

    private func contains(_ range: Range<Int>, _ id: Int32) -> Bool {
        guard id >= 0 else { return false }
        for k in range where ids[k] == id { return true }
        return false
    }

    func prepare(_ request: AssignmentRequest, states: [String: VendorState] = [:]) -> Query {
        var query = Query()
        for (name, state) in states {
            guard let reason = state.disabledBecause, let i = position[name] else { continue }
            if query.disabled == nil { query.disabled = [String?](repeating: nil, count: vendors.count) }
            query.disabled?[i] = reason
        }
        query.category = id(request.category, in: categories)
        query.service = id(request.service, in: services)
        query.group = id(request.group, in: groups)
        query.hasScope = request.hasScope
        if let language = request.language, !language.isEmpty {
            query.language = language
            let primary = language.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init)
            query.languageIDs = (id(language, in: languages), id(primary, in: languages))
        }
        query.priority = request.priority.bit
        if !request.pool.isEmpty {
            var inPool = [Bool](repeating: false, count: vendors.count)
            for name in request.pool {
                if let i = position[name] { inPool[i] = true }
            }
            query.inPool = inPool
        }
        query.second = CivilDays.epochSeconds(request.now)
        return query
    }

    /// The first check vendor `i` fails, or `nil` when eligible. `scoped` applies the pool and the
    /// skill filter (general selection); a pinned vendor, its backups and the default vendor are
    /// checked without them.
    func exclusion(
        of i: Int, scoped: Bool, _ query: Query, _ request: AssignmentRequest, _ states: [String: VendorState]
    ) -> ExclusionReason? {
        let entry = entries[i]
        if !entry.enabled { return .disabled }
        if let disabled = query.disabled, let reason = disabled[i] { return .disabledByOperator(reason) }
        if scoped, let inPool = query.inPool, !inPool[i] { return .notInPool }
        if entry.firstDay != Int.min || entry.lastDay != Int.max {
            let today: Int
            if let offset = entry.fixedOffset {
                today = Int((query.second + Int64(offset)).floorDivided(by: CivilDays.secondsPerDay))
            } else {
                today = (vendors[i].calendar?.zone ?? .utc).date(at: request.now).daysSinceEpoch
            }
            if today < entry.firstDay { return .contractNotStarted(LocalDate(daysSinceEpoch: entry.firstDay)) }
            if today > entry.lastDay { return .contractEnded(LocalDate(daysSinceEpoch: entry.lastDay)) }
        }
        if entry.priorities != 0, entry.priorities & query.priority == 0 {
            return .priorityNotAccepted(request.priority, accepted: vendors[i].priorities.sorted())
        }
        if scoped {
            if query.hasScope {
                if !(contains(entry.skills, query.category) || contains(entry.services, query.service)
                    || contains(entry.groups, query.group))
                {
                    return .noSkillMatch
                }
            } else if query.inPool == nil {
                return .noScope
            }
        }
        if let language = query.language, !entry.languages.isEmpty,
            !(contains(entry.languages, query.languageIDs.0) || contains(entry.languages, query.languageIDs.1))
        {
            return .language(language, spoken: vendors[i].languages)
        }
        if entry.capacity >= 0 || entry.priorityCapacities & query.priority != 0 {
            let state = states[vendors[i].name]
            let open = state?.openIncidents ?? 0
            if entry.capacity >= 0, open >= entry.capacity { return .atCapacity(open: open, capacity: entry.capacity) }
            if entry.priorityCapacities & query.priority != 0, let capacity = vendors[i].capacityByPriority[request.priority] {
                let open = state?.openByPriority[request.priority] ?? 0
                if open >= capacity { return .atPriorityCapacity(request.priority, open: open, capacity: capacity) }
            }
        }
        if entry.hoursRequired & query.priority != 0, vendors[i].calendar?.isOpen(at: request.now) == false {
            return .outsideHours(calendar: vendors[i].calendar?.name ?? "", priority: request.priority)
        }
        return nil
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}

extension Priority {
    /// One bit per priority, for masks.
    var bit: UInt8 {
        switch self {
        case .p1: 1
        case .p2: 2
        case .p3: 4
        case .p4: 8
        case .p5: 16
        }
    }
}
