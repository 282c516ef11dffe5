import ArgumentParser
import Foundation
import TriageCore

/// `triage bench assignment`: vendor assignment decisions per second on one core, with and without
/// building explanations, over a synthetic but realistic vendor mix (see ``AssignmentWorkload``).
/// Build with `-c release` for real figures; the target is ≥ 200,000 decisions/s at 50 vendors.
struct AssignmentBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignment", abstract: "Vendor assignment decisions per second, with and without explanations.")

    @Option(name: .long, help: "Vendors configured.")
    var vendors = 50

    @Option(name: .long, help: "Distinct requests per round.")
    var requests = 5000

    @Option(name: .long, help: "Minimum measuring time per mode, in seconds.")
    var seconds = 2.0

    func validate() throws {
        guard (1...100_000).contains(vendors) else { throw ValidationError("--vendors must be 1...100000") }
        guard (1...1_000_000).contains(requests) else { throw ValidationError("--requests must be 1...1000000") }
        guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be in (0, 60]") }
    }

    func run() async throws {
        var workload = AssignmentWorkload(seed: 11)
        let assigner = workload.assigner(vendors: vendors)
        let states = workload.states(for: assigner.vendors)
        let sample = workload.requests(count: requests, vendors: assigner.vendors)
        var routes: [String: Int] = [:]
        for request in sample {
            let full = assigner.assign(request, states: states, explain: true)
            let bare = assigner.assign(request, states: states, explain: false)
            guard full.vendor?.name == bare.vendor?.name, full.route == bare.route else {
                FileHandle.standardError.write(Data("assignment differs with and without explanations\n".utf8))
                throw ExitCode(1)
            }
            routes[full.route.rawValue, default: 0] += 1
        }
        print("vendor assignment, one core, \(vendors) vendors, \(requests) distinct requests")
        print("routes: " + routes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for explain in [true, false] {
            let perDecision = Self.measure(assigner, sample, states, explain: explain, seconds: seconds)
            print(
                "explanations \(explain ? "on: " : "off:")"
                    + String(format: " %10.0f decisions/s  (%.2f µs each)", 1 / perDecision, perDecision * 1e6))
        }
        print("target: >= 200000 decisions/s at 50 vendors")
    }

    /// Seconds per decision: whole passes over the sample until `seconds` have gone by.
    static func measure(
        _ assigner: VendorAssigner, _ sample: [AssignmentRequest], _ states: [String: VendorState], explain: Bool,
        seconds: Double
    ) -> Double {
        let clock = ContinuousClock()
        var decided = 0
        var sink = 0
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            for request in sample {
                let result = assigner.assign(request, states: states, explain: explain)
                sink &+= result.reasons.count &+ (result.vendor?.name.utf8.count ?? 0)
            }
            decided += sample.count
            elapsed = clock.now - start
        } while elapsed < .seconds(seconds)
        if sink == -1 { print("") }
        let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return total / Double(decided)
    }
}

/// Deterministic vendors, states and requests for the assignment benchmark.
///
/// Vendors: 1–3 of 12 categories, up to 4 of 40 services, up to 2 of 10 groups; a third list
/// languages; a fifth accept only P3–P5; 40% keep business hours (Monday–Friday, UTC or a fixed
/// offset, two holidays); 70% have a capacity, 30% a P1 capacity; 30% cost more at P1; 10% have an
/// ended contract and 5% one not yet started; 4% are in maintenance; vendors 0/1 split 70/30 and
/// 2/3 split 50/50 in share groups; 30% name a backup. Requests: a category 80% of the time, a
/// service 70%, a group 30%, a language 40%, a pinned vendor 10%, a pool of three 5%, at instants
/// across the week of 2026-01-05.
struct AssignmentWorkload {
    static let categories = [
        "database", "network", "web", "storage", "identity", "payments", "messaging", "monitoring", "backup", "email",
        "erp", "crm",
    ]
    static let services = (0..<40).map { "svc-\($0)" }
    static let groups = (0..<10).map { "group-\($0)" }
    static let languages = ["en", "fr", "de", "es"]

    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func roll() -> Double { Double(generator.next() >> 11) / Double(UInt64(1) << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }
    mutating func pick<T>(_ list: [T]) -> T { list[int(0...(list.count - 1))] }
    mutating func some<T: Hashable>(_ list: [T], _ range: ClosedRange<Int>) -> [T] {
        var chosen: [T] = []
        for _ in 0..<int(range) {
            let value = pick(list)
            if !chosen.contains(value) { chosen.append(value) }
        }
        return chosen
    }

    mutating func assigner(vendors count: Int) -> VendorAssigner {
        let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        var vendors: [Vendor] = []
        for i in 0..<count {
            let name = "vendor-\(i < 10 ? "0" : "")\(i)"
            var vendor = Vendor(
                name: name, endpoint: "http://127.0.0.1:1/\(name)", skills: some(Self.categories, 1...3),
                cost: Double(int(40...200)))
            vendor.services = some(Self.services, 0...4)
            vendor.groups = some(Self.groups, 0...2)
            if roll() < 0.33 { vendor.languages = ["en"] + some(Self.languages, 0...2).filter { $0 != "en" } }
            if roll() < 0.2 { vendor.priorities = [.p3, .p4, .p5] }
            if roll() < 0.4 {
                let offset = pick([0, 3600, -18_000, 19_800])
                let zone = offset == 0 ? ZoneRules.utc : ZoneRules(fixedOffsetSeconds: offset, identifier: "fixed\(offset)")
                let hours = ClockRange(start: pick([7, 8, 9]) * 60, end: pick([17, 18, 19]) * 60)!
                vendor.calendar = BusinessCalendar(
                    name: "hours-\(name)", zone: zone, weekly: Dictionary(uniqueKeysWithValues: weekdays.map { ($0, [hours]) }),
                    holidays: [LocalDate(year: 2026, month: 1, day: 1), LocalDate(year: 2026, month: 1, day: 6)])
            }
            if roll() < 0.7 { vendor.capacity = int(20...200) }
            if roll() < 0.3 { vendor.capacityByPriority = [.p1: int(5...15)] }
            if roll() < 0.3 { vendor.costByPriority = [.p1: vendor.cost * 1.5] }
            let contract = roll()
            if contract < 0.10 {
                vendor.contractStart = LocalDate(year: 2024, month: 1, day: 1)
                vendor.contractEnd = LocalDate(year: 2025, month: 12, day: 31)
            } else if contract < 0.15 {
                vendor.contractStart = LocalDate(year: 2027, month: 1, day: 1)
            } else if contract < 0.6 {
                vendor.contractStart = LocalDate(year: 2024, month: 1, day: 1)
                vendor.contractEnd = LocalDate(year: 2027, month: 12, day: 31)
            }
            vendor.enabled = roll() >= 0.04
            if i < 4 {
                vendor.shareGroup = i < 2 ? "bench-a" : "bench-b"
                vendor.share = [70, 30, 50, 50][i]
                vendor.skills = ["database", "web"]
            }
            vendors.append(vendor)
        }
        for i in vendors.indices where count > 1 && roll() < 0.3 {
            vendors[i].backup = vendors[(i + int(1...(count - 1))) % count].name
        }
        return VendorAssigner(vendors: vendors, defaultVendor: vendors.first?.name)
    }

    mutating func states(for vendors: [Vendor]) -> [String: VendorState] {
        var states: [String: VendorState] = [:]
        for vendor in vendors {
            var state = VendorState(
                openIncidents: int(0...(vendor.capacity ?? 60)), openByPriority: [.p1: int(0...10)],
                attainment: roll() < 0.8 ? 0.6 + 0.4 * roll() : nil, assigned: int(0...1000))
            for service in some(Self.services, 0...5) { state.affinity[service] = int(1...30) }
            states[vendor.name] = state
        }
        return states
    }

    mutating func requests(count: Int, vendors: [Vendor]) -> [AssignmentRequest] {
        let monday = 1_767_571_200.0  // 2026-01-05T00:00:00Z
        return (0..<count).map { _ in
            var request = AssignmentRequest(
                priority: pick([.p1, .p2, .p2, .p3, .p3, .p3, .p4, .p5]),
                now: Date(timeIntervalSince1970: monday + Double(int(0...(7 * 86_400 - 1)))))
            if roll() < 0.8 { request.category = pick(Self.categories) }
            if roll() < 0.7 { request.service = pick(Self.services) }
            if roll() < 0.3 { request.group = pick(Self.groups) }
            if roll() < 0.4 { request.language = pick(["en", "fr-FR", "de", "es", "it"]) }
            if roll() < 0.1, let vendor = vendors.randomElement(using: &generator) { request.pinned = vendor.name }
            if roll() < 0.05 { request.pool = (0..<3).compactMap { _ in vendors.randomElement(using: &generator)?.name } }
            return request
        }
    }
}
