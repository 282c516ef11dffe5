import Foundation
import Synchronization
import TriageCurl
import TriageHTTP
import TriageTesting

/// One `triage serve` on a SQLite store whose disk a test breaks, with a steady load of webhooks
/// (phase `before` from the start) and probes of its health endpoints.
final class DiskFullRun: Sendable {
    let serve: TriageProcess
    let port: Int
    let load: OutageLoad
    let store: String
    /// The load of an earlier process on the same store, whose 2xx must be there too.
    let previous: OutageLoad?
    private let loadTask: Task<Void, any Error>
    private let client = CurlHTTPClient()
    private let readyStatuses = Mutex<[Int]>([])

    /// Starts `triage serve` on `store` (a 5 s work lease, so claims a failed write left behind come
    /// back soon) and the load, keys from `firstKey`.
    init(config: String, store: String, perSecond: Int, firstKey: Int = 0, previous: OutageLoad? = nil) async throws {
        self.store = store
        self.previous = previous
        let serve = try TriageProcess(
            ["serve", "--config", config, "--store", "sqlite:" + store, "--port", "0", "--work-lease", "5"])
        self.serve = serve
        do {
            port = try await serve.listeningPort()
        } catch {
            serve.send(SIGKILL)
            throw error
        }
        let load = OutageLoad(port: port, perSecond: perSecond, firstKey: firstKey)
        load.enter("before")
        self.load = load
        loadTask = Task { try await load.run() }
    }

    /// `/readyz` statuses seen by ``watchHealth(for:tick:)``.
    var readiness: [Int] { readyStatuses.withLock { $0 } }

    /// Stops the load and kills the process (idempotent).
    func kill() {
        load.stop()
        if serve.isRunning { serve.send(SIGKILL) }
    }

    /// The status of `GET path`, 0 when no answer came within 5 s.
    func status(_ path: String) async -> Int {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)", connectTimeout: .seconds(2), timeout: .seconds(5))
        return (try? await client.execute(request))?.status ?? 0
    }

    /// Probes `/healthz` and `/readyz` twice a second for `seconds`, running `tick` before each
    /// probe; returns the `/healthz` statuses.
    func watchHealth(for seconds: Int, tick: () -> Void) async throws -> [Int] {
        var health: [Int] = []
        for _ in 0..<(seconds * 2) {
            tick()
            try await Task.sleep(for: .milliseconds(500))
            health.append(await status("/healthz"))
            let ready = await status("/readyz")
            readyStatuses.withLock { $0.append(ready) }
        }
        return health
    }

    /// Enters phase `recovered` and returns the seconds until a webhook sent in it is accepted
    /// (up to a minute), then lets the load run two seconds more.
    func recover() async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        load.enter("recovered")
        while !load.answers(in: "recovered").contains(where: { (200..<300).contains($0.status) }) {
            guard start.duration(to: clock.now) < .seconds(60) else { throw NotRecovered(answers: load.answers(in: "recovered").count) }
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = start.duration(to: clock.now)
        try await Task.sleep(for: .seconds(2))
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Stops the load and waits (up to two minutes) until every webhook answered 2xx, by this
    /// process or `previous`, is an incident whose dispatch was delivered; returns the problems
    /// left (empty when none): lost, untriaged or undelivered webhooks.
    func settle(sink: VendorSink) async throws -> [String] {
        load.stop()
        try await loadTask.value
        let keys = load.accepted + (previous?.accepted ?? [])
        let clock = ContinuousClock()
        let start = clock.now
        var ledger = try OutageLedger.read(store)
        while !ledger.settled(keys: keys, perIncident: 1), start.duration(to: clock.now) < .seconds(120) {
            try await Task.sleep(for: .milliseconds(250))
            ledger = try OutageLedger.read(store)
        }
        return ledger.problems(accepted: keys, perIncident: 1, received: sink.received)
    }

    /// How many of `problems` (from ``settle(sink:)``) are webhooks answered 2xx but not stored.
    static func lost(_ problems: [String]) -> Int {
        problems.filter { $0.hasSuffix(OutageLedger.notStored) }.count
    }

    struct NotRecovered: Error, CustomStringConvertible {
        var answers: Int
        var description: String { "no webhook accepted within 60 s of the disk recovering (\(answers) answered)" }
    }
}
