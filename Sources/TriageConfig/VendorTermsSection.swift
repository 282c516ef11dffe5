import TriageCore
import Yams

/// The contract terms of a vendor in `vendors.yaml`, beyond its endpoint:
///
/// ```yaml
///   - name: globex-infra
///     skills: [network, storage]          # categories
///     services: [vpn, san]                # applications it runs
///     groups: [GRP_12]                    # assignment groups (classifier labels)
///     languages: [en, fr]
///     priorities: [P1, P2, P3]            # accepted; default all
///     calendar: paris-office              # from `calendars:` in vendors.yaml; omit for 24×7
///     hours_required_for: [P1, P2]        # priorities it only gets while open (default P1, P2)
///     capacity: {open: 40, P1: 5}         # or a number
///     cost: {default: 90, P1: 250}        # or a number
///     contract: {start: 2026-01-01, end: 2027-12-31}
///     enabled: true                       # false during maintenance
///     share: {group: infra-benchmark, weight: 70}
/// ```
enum VendorTermsSection {
    static func read(_ map: Node.Mapping, into vendor: inout Vendor, file: YAMLFile, calendars: [String: BusinessCalendar]) {
        let name = vendor.name
        vendor.services = file.strings(map["services"], "services")
        vendor.groups = file.strings(map["groups"], "groups")
        vendor.languages = file.strings(map["languages"], "languages").map { $0.lowercased() }
        vendor.priorities = priorities(map["priorities"], "priorities", file: file)
        if map["hours_required_for"] != nil {
            vendor.hoursRequiredFor = priorities(map["hours_required_for"], "hours_required_for", file: file)
        }
        if let calendarName = file.string(map["calendar"], "calendar") {
            if let calendar = calendars[calendarName] { vendor.calendar = calendar } else {
                let known = calendars.keys.sorted().joined(separator: ", ")
                file.fail(map["calendar"], "vendor '\(name)': calendar '\(calendarName)' is not defined (calendars: \(known.isEmpty ? "none" : known))")
            }
        }
        readCapacity(map["capacity"], into: &vendor, file: file)
        readCost(map["cost"], into: &vendor, file: file)
        if let node = map["contract"], let contract = file.mapping(node, "contract of vendor '\(name)'", allowed: ["start", "end"]) {
            vendor.contractStart = date(contract["start"], "contract.start", file: file)
            vendor.contractEnd = date(contract["end"], "contract.end", file: file)
            if let start = vendor.contractStart, let end = vendor.contractEnd, end < start {
                file.fail(contract["end"], "vendor '\(name)': contract ends before it starts")
            }
        }
        vendor.enabled = file.bool(map["enabled"], "enabled") ?? true
        if let node = map["share"], let share = file.mapping(node, "share of vendor '\(name)'", allowed: ["group", "weight"]) {
            vendor.shareGroup = file.requiredString(share, "group", in: node, "share")
            if let weight = file.double(share["weight"], "share.weight") {
                if weight > 0 { vendor.share = weight } else { file.fail(share["weight"], "share.weight must be above 0") }
            } else {
                file.fail(node, "share needs 'weight' (its part of the split, e.g. 70)")
            }
        }
    }

    static func priorities(_ node: Node?, _ what: String, file: YAMLFile) -> [Priority] {
        file.strings(node, what).compactMap { text in
            guard let priority = Priority(parsing: text) else {
                file.fail(node, "\(what): '\(text)' is not one of P1, P2, P3, P4, P5")
                return nil
            }
            return priority
        }
    }

    static func readCapacity(_ node: Node?, into vendor: inout Vendor, file: YAMLFile) {
        guard let node else { return }
        if node.scalar != nil {
            if let value = file.int(node, "capacity"), value >= 0 { vendor.capacity = value } else if node.int != nil {
                file.fail(node, "capacity must not be negative")
            }
            return
        }
        let keys = Set(["open"] + Priority.allCases.map(\.rawValue))
        guard let map = file.mapping(node, "capacity", allowed: keys) else { return }
        vendor.capacity = file.int(map["open"], "capacity.open")
        for priority in Priority.allCases {
            if let value = file.int(map[priority.rawValue], "capacity.\(priority.rawValue)") {
                vendor.capacityByPriority[priority] = value
            }
        }
    }

    static func readCost(_ node: Node?, into vendor: inout Vendor, file: YAMLFile) {
        guard let node else { return }
        if node.scalar != nil {
            vendor.cost = file.double(node, "cost") ?? 0
            return
        }
        let keys = Set(["default"] + Priority.allCases.map(\.rawValue))
        guard let map = file.mapping(node, "cost", allowed: keys) else { return }
        vendor.cost = file.double(map["default"], "cost.default") ?? 0
        for priority in Priority.allCases {
            if let value = file.double(map[priority.rawValue], "cost.\(priority.rawValue)") {
                vendor.costByPriority[priority] = value
            }
        }
    }

    static func date(_ node: Node?, _ what: String, file: YAMLFile) -> LocalDate? {
        guard let text = file.string(node, what) else { return nil }
        guard let date = LocalDate(parsing: text) else {
            file.fail(node, "\(what) '\(text)' is not a date like 2026-12-31")
            return nil
        }
        return date
    }
}
