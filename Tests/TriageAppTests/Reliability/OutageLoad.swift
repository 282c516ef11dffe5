import Foundation
import NIOPosix
import Synchronization
import TriageApp
import TriageCurl

/// A steady load of `generic` webhooks, each with its own dedup key (`k-N`, so one incident each),
/// posted by a few lanes at a fixed total rate until ``stop()``. Every answer is kept with the
/// phase it was sent in, so a test can ask what was answered while the vendor was down or the
/// disk was full.
final class OutageLoad: Sendable {
    /// One webhook and its answer: the HTTP status, or 0 when none came (refused, timed out).
    struct Answer: Sendable {
        var key: Int
        var status: Int
        var phase: String
    }

    let port: Int
    let perSecond: Int
    let lanes: Int
    private let answers = Mutex<[Answer]>([])
    private let phase = Mutex<String>("start")
    private let nextKey: Atomic<Int>
    private let stopped = Atomic<Bool>(false)

    /// - Parameters:
    ///   - port: The `triage serve` port.
    ///   - perSecond: Webhooks per second, all lanes together.
    ///   - firstKey: The first dedup key number (keys go up from there).
    init(port: Int, perSecond: Int, lanes: Int = 4, firstKey: Int = 0) {
        self.port = port
        self.perSecond = perSecond
        self.lanes = lanes
        self.nextKey = Atomic(firstKey)
    }

    /// Names the phase later answers are recorded under.
    func enter(_ name: String) { phase.withLock { $0 = name } }

    /// Lets the lanes finish the request they are sending, then end ``run()``.
    func stop() { stopped.store(true, ordering: .relaxed) }

    /// Everything answered so far.
    var all: [Answer] { answers.withLock { $0 } }

    /// Answers recorded in `phase`.
    func answers(in phase: String) -> [Answer] { all.filter { $0.phase == phase } }

    /// Keys answered 2xx (accepted: they must be in the store).
    var accepted: [Int] { all.filter { (200..<300).contains($0.status) }.map(\.key) }

    /// Posts until ``stop()``: each lane sends one webhook every `lanes / perSecond` seconds.
    func run() async throws {
        let threads = NIOThreadPool(numberOfThreads: lanes)
        threads.start()
        let client = CurlHTTPClient(threadPool: threads, maxIdleHandles: lanes)
        let interval = Duration.seconds(Double(lanes) / Double(max(1, perSecond)))
        await withTaskGroup(of: Void.self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    let clock = ContinuousClock()
                    // Lanes start spread over one interval, so the load is even.
                    var next = clock.now.advanced(by: interval * (Double(lane) / Double(self.lanes)))
                    while !self.stopped.load(ordering: .relaxed) {
                        try? await Task.sleep(until: next, clock: clock)
                        next = max(next.advanced(by: interval), clock.now.advanced(by: interval / 2))
                        await self.post(client)
                    }
                }
            }
        }
        try await threads.shutdownGracefully()
    }

    private func post(_ client: CurlHTTPClient) async {
        let key = nextKey.wrappingAdd(1, ordering: .relaxed).oldValue
        let current = phase.withLock { $0 }
        let request = HTTPClientRequest(
            method: "POST", url: "http://127.0.0.1:\(port)/webhooks/generic",
            headers: [("Content-Type", "application/json")], body: ClusterConfig.body(key: key),
            connectTimeout: .seconds(2), timeout: .seconds(10))
        let status = (try? await client.execute(request))?.status ?? 0
        answers.withLock { $0.append(Answer(key: key, status: status, phase: current)) }
    }
}
