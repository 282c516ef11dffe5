import Foundation
import NIOPosix
import Synchronization
import TriageApp
import TriageCurl

/// A steady load on the service's fixed URL: `senders` concurrent senders, each posting distinct
/// webhooks (key `lane`, `lane + senders`, …) one after the other until ``stop()``. A request that
/// fails or gets no answer (the process was killed, or is not back yet) is recorded as not
/// accepted and the sender moves on after a short pause; nothing is sent twice.
///
/// The load is steady at the pace the service sustains: ingest outruns triage (each decision is its
/// own fsynced transaction), so the senders hold back while more than `backlogLimit` incidents wait
/// for triage, rather than pile up a queue that would take minutes to drain after the last kill.
final class CrashLoad: Sendable {
    let ledger = CrashLedger()
    private let stopped = Atomic<Bool>(false)
    private let held = Atomic<Bool>(false)
    private let url: String
    private let senders: Int
    private let backlogLimit: Int
    private let backlog: @Sendable () async throws -> Int

    /// - Parameter backlog: Incidents waiting for triage now (read from the store).
    init(port: Int, senders: Int, backlogLimit: Int, backlog: @escaping @Sendable () async throws -> Int) {
        self.url = "http://127.0.0.1:\(port)/webhooks/generic"
        self.senders = senders
        self.backlogLimit = backlogLimit
        self.backlog = backlog
    }

    /// Ends the load: each sender stops after the request it has on the wire.
    func stop() { stopped.store(true, ordering: .relaxed) }

    /// Runs the senders until ``stop()``.
    func run() async throws {
        let threads = NIOThreadPool(numberOfThreads: senders)
        threads.start()
        let client = CurlHTTPClient(threadPool: threads, maxIdleHandles: senders)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.govern() }
            for lane in 0..<senders {
                group.addTask { await self.send(lane: lane, client: client) }
            }
        }
        try await threads.shutdownGracefully()
    }

    /// Holds the senders back while the triage backlog is above the limit.
    private func govern() async {
        while !stopped.load(ordering: .relaxed) {
            if let waiting = try? await backlog() { held.store(waiting > backlogLimit, ordering: .relaxed) }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    private func send(lane: Int, client: CurlHTTPClient) async {
        var n = lane
        while !stopped.load(ordering: .relaxed) {
            if held.load(ordering: .relaxed) {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            let request = HTTPClientRequest(
                method: "POST", url: url, headers: [("Content-Type", "application/json")],
                body: ClusterConfig.body(key: n), connectTimeout: .seconds(1), timeout: .seconds(10))
            ledger.starting()
            let status = try? await client.execute(request).status
            ledger.finished(n, status: status)
            n += senders
            if status.map({ !(200..<300).contains($0) }) ?? true {
                // Down or refusing: do not spin through keys while the service restarts.
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
    }
}
