import ArgumentParser
import Foundation
import Logging
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage bench timers`: a million active SLA timers in SQLite: memory, time for a restarted
/// process to be ready to fire, and firing lag while timers fall due at a steady rate.
struct TimerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timers", abstract: "Active SLA timers: memory, restart time and firing lag (release build).")

    @Option(name: .long, help: "Active timers in the store.")
    var timers = 1_000_000
    @Option(name: .long, help: "Timers falling due per second during the firing phase.")
    var rate = 10_000
    @Option(name: .long, help: "Length of the firing phase in seconds.")
    var seconds = 10
    @Option(name: .long, help: "SQLite durability: full or normal.")
    var sqliteSync = SQLiteStore.Durability.full.rawValue

    static let perIncident = 10

    func validate() throws {
        guard (10_000...20_000_000).contains(timers) else { throw ValidationError("--timers must be 10000…20000000") }
        guard (1...100_000).contains(rate), (1...600).contains(seconds) else {
            throw ValidationError("--rate must be 1…100000 and --seconds 1…600")
        }
        guard rate * seconds <= timers else { throw ValidationError("--rate × --seconds must not exceed --timers") }
        guard SQLiteStore.Durability(rawValue: sqliteSync) != nil else {
            throw ValidationError("--sqlite-sync '\(sqliteSync)': expected full or normal")
        }
    }

    /// Eight escalation steps of every kind of action but reassignment, on the resolve clock.
    static let terms = SLASnapshot(
        source: "contract 'bench'", vendor: "bench", priority: .p3, acknowledge: .seconds(3600), resolve: .seconds(86_400),
        ladder: "bench",
        steps: [
            [.notify("vendor")], [.addTag("watch")], [.notify("duty")], [.raisePriority(1)], [.notify("vendor")],
            [.addTag("late")], [.notify("duty")], [.notify("vendor")],
        ].enumerated().map { index, actions in EscalationStep(trigger: .percent(Double(10 * (index + 1))), actions: actions) })

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let durability = SQLiteStore.Durability(rawValue: sqliteSync) ?? .full
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("triage-timers-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/timers.sqlite"
        let firing = rate * seconds
        let firingIncidents = (firing + Self.perIncident - 1) / Self.perIncident
        let idleIncidents = (timers - firingIncidents * Self.perIncident) / Self.perIncident
        let base = Date(timeIntervalSince1970: 1_000_000)  // the firing timers are seeded here, then shifted

        print("seeding \(idleIncidents + firingIncidents) incidents with \(Self.perIncident) timers each…")
        let seedStart = ContinuousClock.now
        do {
            let store = try SQLiteStore(path: path, durability: durability)
            var generator = SystemRandomNumberGenerator()
            let now = Date()
            for chunk in stride(from: 0, to: idleIncidents, by: 5000) {
                let batch = (chunk..<min(idleIncidents, chunk + 5000)).map { index in
                    // Far-future clocks: due in 30 to 60 days.
                    let start = now.addingTimeInterval(30 * 86_400 + Double(index % 2_592_000))
                    return (IncidentID(now: now, using: &generator), "idle \(index)", clock(startedAt: start, firing: nil))
                }
                try await store.seedClocks(batch, now: now)
            }
            let batch = (0..<firingIncidents).map { index in
                (IncidentID(now: now, using: &generator), "firing \(index)", clock(startedAt: base, firing: index))
            }
            for chunk in stride(from: 0, to: batch.count, by: 5000) {
                try await store.seedClocks(Array(batch[chunk..<min(batch.count, chunk + 5000)]), now: now)
            }
        }
        let seeded = ContinuousClock.now - seedStart
        let afterSeed = Memory.read()

        // A restarted process: open the file (migrations checked) and find the next timer.
        let restartStart = ContinuousClock.now
        let store = try SQLiteStore(path: path, durability: durability)
        let next = try await store.nextTimerDue()
        let restart = ContinuousClock.now - restartStart
        let counts = try await store.timerCounts()

        let t0 = Date().addingTimeInterval(2)
        try await store.shiftPendingTimers(dueBefore: base.addingTimeInterval(86_400), by: t0.timeIntervalSince(base))
        let policies = PolicyHolder(TriagePolicy(rules: RuleSet(rules: []), vendors: [Vendor(name: "bench", endpoint: "http://127.0.0.1:9/bench")]))
        var configuration = SLAWatcher<SystemClock>.Configuration(owner: "bench")
        configuration.idlePoll = .milliseconds(200)
        let watcher = SLAWatcher(
            store: store, policies: policies, notify: [NotifyEndpoint(name: "duty", url: "http://127.0.0.1:9/duty")],
            zones: { _ in nil }, clock: SystemClock(), configuration: configuration, logger: logger)
        print("firing \(firing) timers at \(rate)/s over \(seconds) s among \(counts["pending"] ?? 0) active…")
        let running = Task { try await watcher.run() }
        var fired = 0
        let deadline = ContinuousClock.now + .seconds(seconds + 120)
        while fired < firing, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            fired = try await store.timerCounts()["fired"] ?? 0
        }
        running.cancel()
        _ = try? await running.value
        let lags = try await store.firedTimerLags()
        let afterFiring = Memory.read()
        func percentile(_ p: Double) -> Int64 { lags.isEmpty ? 0 : lags[min(lags.count - 1, Int(Double(lags.count) * p))] }

        print("")
        print("| what | figure | target |")
        print("|---|---:|---|")
        print("| active timers (pending) | \(counts["pending"] ?? 0) | 1,000,000 |")
        print("| seeding (not a target) | \(String(format: "%.1f", seeded.seconds)) s | |")
        print("| restart: open store + find next timer | \(String(format: "%.3f", restart.seconds)) s (next due \(next.map(RFC3339.format) ?? "-")) | < 10 s |")
        print("| peak memory (VmHWM), whole run | \(afterFiring.peakMB) MB | < 500 MB |")
        print("| memory (VmRSS) after seeding / after firing | \(afterSeed.residentMB) / \(afterFiring.residentMB) MB | |")
        print("| fired | \(lags.count) of \(firing) | |")
        print("| firing lag p50 / p99 / max | \(percentile(0.5)) / \(percentile(0.99)) / \(lags.last ?? 0) ms | p99 < 1 s |")
        let outbox = try await store.outboxEntries(status: "pending", limit: 1_000_000).count
        print("| notices queued in the outbox | \(outbox) | |")
    }

    /// A clock started at `startedAt`; for firing incident `index`, its ten timers are placed so
    /// that all firing timers fall due at `rate` per second from the base instant.
    func clock(startedAt: Date, firing index: Int?) -> SLAClockStart {
        var clock = SLAClockStart(snapshot: Self.terms, startedAt: startedAt)
        guard let index else { return clock }
        let firingIncidents = (rate * seconds + Self.perIncident - 1) / Self.perIncident
        clock.timers = (0..<Self.perIncident).map { slot in
            let sequence = slot * firingIncidents + index  // the global order of this timer
            let due = startedAt.addingTimeInterval(Double(sequence) / Double(rate))
            switch slot {
            case 8: return PlannedTimer(target: .acknowledge, step: SLASchedule.deadlineStep, dueAt: due)
            case 9: return PlannedTimer(target: .resolve, step: SLASchedule.deadlineStep, dueAt: due)
            default: return PlannedTimer(target: .resolve, step: slot, dueAt: due)
            }
        }
        return clock
    }
}

/// The process's resident and peak memory, from /proc/self/status.
struct Memory {
    var residentMB: Int
    var peakMB: Int

    static func read() -> Memory {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
        }
        return Memory(residentMB: field("VmRSS"), peakMB: field("VmHWM"))
    }
}
