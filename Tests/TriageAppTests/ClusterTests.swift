import Foundation
import NIOPosix
import PostgresNIO
import Testing
import TriageApp
import TriageCurl
import TriageEngine
import TriageHTTP
@testable import TriageStorePostgres
import TriageTesting

/// Several `triage` processes on one PostgreSQL database, as the README's "running several
/// instances" section runs them.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct ClusterTests {
    /// 10,000 webhooks (8,000 incidents, 2,000 repeats of them) posted 48 at a time to two
    /// receivers, triaged and delivered by three workers, one of which is SIGKILLed half-way.
    @Test func twoReceiversAndThreeWorkersLoseNothingAndDoubleNothingWhenAWorkerIsKilled() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = try await PostgresTestDatabase.freshSettings("cluster")
        let store = try await PostgresStore.open(settings)
        defer { store.close() }
        let sink = VendorSink()
        let posts = 10_000
        let incidents = 8_000
        let capacity = 1_000
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ClusterConfig.write(
                in: directory.url.path, endpoint: "http://127.0.0.1:\(sinkPort)", capacity: capacity)
            let url = settings.redacted
            let receivers = try (0..<2).map { _ in
                try TriageProcess(["serve", "--config", config, "--store", url, "--port", "0", "--role", "receiver"])
            }
            let workers = try (0..<3).map { _ in
                try TriageProcess(["serve", "--config", config, "--store", url, "--role", "worker", "--work-lease", "5"])
            }
            defer { for process in receivers + workers { process.send(SIGKILL) } }
            var listening: [Int] = []
            for receiver in receivers { listening.append(try await receiver.listeningPort()) }
            let ports = listening

            // Post everything, 48 at a time, alternating receivers; kill worker 0 once the vendor
            // has seen half of the incidents.
            let threads = NIOThreadPool(numberOfThreads: 48)
            threads.start()
            let client = CurlHTTPClient(threadPool: threads, maxIdleHandles: 48)
            let killer = Task {
                while sink.received.count < incidents / 2 { try await Task.sleep(for: .milliseconds(20)) }
                workers[0].send(SIGKILL)
            }
            // Statuses answered, counted per status.
            let statuses = try await withThrowingTaskGroup(of: [Int: Int].self) { group in
                for lane in 0..<48 {
                    group.addTask {
                        var statuses: [Int: Int] = [:]
                        for n in stride(from: lane, to: posts, by: 48) {
                            let response = try await client.execute(
                                HTTPClientRequest(
                                    method: "POST", url: "http://127.0.0.1:\(ports[n % 2])/webhooks/generic",
                                    headers: [("Content-Type", "application/json")],
                                    body: ClusterConfig.body(key: n % incidents)))
                            statuses[response.status, default: 0] += 1
                        }
                        return statuses
                    }
                }
                return try await group.reduce(into: [Int: Int]()) { total, part in total.merge(part, uniquingKeysWith: +) }
            }
            let accepted = statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +)
            try await threads.shutdownGracefully()
            #expect(accepted == posts, "answers: \(statuses)")

            // Wait (up to 90 s: the killed worker's claims come back after their leases) for every
            // incident to be triaged and delivered.
            var settled = false
            for _ in 0..<900 {
                let open = try await store.read { connection in
                    try await connection.row(
                        """
                        SELECT (SELECT COUNT(*) FROM workItem WHERE status <> 'done')
                            + (SELECT COUNT(*) FROM outboxMessage WHERE status <> 'delivered') AS n
                        """, logger: store.logger)?.get("n", as: Int.self)
                }
                if open == 0 {
                    settled = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(settled, "work left undone after 90 s")
            _ = try await killerResult(killer)
            #expect(!workers[0].isRunning)

            // None lost: one incident per dedup key, every accepted webhook counted in one of them.
            let totals = try await store.read { connection in
                try await connection.row(
                    """
                    SELECT COUNT(*) AS incidents, COALESCE(SUM(occurrences), 0)::BIGINT AS occurrences,
                        (SELECT COUNT(*) FROM decision) AS decisions,
                        (SELECT COUNT(*) FROM incidentEvent WHERE kind = 'triaged') AS triaged,
                        (SELECT COUNT(DISTINCT incidentId) FROM incidentEvent WHERE kind = 'triaged') AS triagedIncidents,
                        (SELECT COUNT(*) FROM outboxMessage WHERE status = 'delivered') AS delivered
                    FROM incident
                    """, logger: store.logger)
            }
            let row = try #require(totals)
            #expect(try row.get("incidents", as: Int.self) == incidents)
            #expect(try row.get("occurrences", as: Int.self) == posts)
            #expect(try row.get("decisions", as: Int.self) == incidents)
            // Triaged once each: a killed worker's uncommitted work left no trace.
            #expect(try row.get("triaged", as: Int.self) == incidents)
            #expect(try row.get("triagedincidents", as: Int.self) == incidents)
            #expect(try row.get("delivered", as: Int.self) == incidents)

            // None delivered twice: one idempotency key per incident at the vendor; a repeat can
            // only be a message the killed worker had in flight, sent again under its key.
            try await Task.sleep(for: .milliseconds(300))
            let keys = sink.received.compactMap { $0.headers["idempotency-key"] }
            let distinct = Set(keys)
            #expect(keys.count == sink.received.count)
            #expect(distinct.count == incidents)
            let repeats = keys.count - distinct.count
            #expect(repeats <= 64, "\(repeats) repeated deliveries; at most the killed worker's in-flight ones may repeat")
            print("cluster: \(posts) posted, \(accepted) accepted, \(incidents) incidents, "
                + "\(distinct.count) delivered, \(repeats) re-sent under their key after the kill")

            // Capacities never exceeded: nothing is resolved here, so the final load is the peak.
            let stats = try await store.vendorStats(since: Date(timeIntervalSince1970: 0))
            for vendor in ["alpha", "beta"] {
                // Filled to the limit (so the limit was tested under contention), never past it.
                #expect(stats[vendor]?.open == capacity, "\(vendor): \(stats[vendor]?.open ?? 0) open")
            }
            let perVendor = Dictionary(grouping: sink.received, by: { $0.path }).mapValues { Set($0.compactMap { $0.headers["idempotency-key"] }).count }
            #expect(perVendor["/alpha"] ?? 0 <= capacity)
            #expect(perVendor["/beta"] ?? 0 <= capacity)
            #expect(perVendor.values.reduce(0, +) == incidents)
        }
    }

    func killerResult(_ task: Task<Void, any Error>) async throws {
        task.cancel()
        _ = await task.result
    }
}
