import Foundation
import NIOPosix
import Testing
import TriageApp
import TriageCore
import TriageCurl
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// A graceful stop under load: every webhook answered 2xx before SIGTERM is in the store, none
/// is answered 2xx and then lost, and the process exits 0 once in-flight work has finished.
struct ShutdownTests {
    @Test func noAcceptedWebhookIsLostAcrossASIGTERM() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ClusterConfig.write(
                in: directory.url.path, endpoint: "http://127.0.0.1:\(sinkPort)", capacity: 100_000)
            let path = directory.path("triage.sqlite")
            let serve = try TriageProcess(["serve", "--config", config, "--store", "sqlite:" + path, "--port", "0"])
            defer { if serve.isRunning { serve.send(SIGKILL) } }
            let port = try await serve.listeningPort()
            let threads = NIOThreadPool(numberOfThreads: 16)
            threads.start()
            let client = CurlHTTPClient(threadPool: threads, maxIdleHandles: 16)

            // 16 senders post without pause until their requests fail (the listener is closed);
            // SIGTERM arrives once 500 have been accepted.
            let accepted = try await withThrowingTaskGroup(of: [Int].self) { group in
                for lane in 0..<16 {
                    group.addTask {
                        var mine: [Int] = []
                        for n in stride(from: lane, to: 1_000_000, by: 16) {
                            let request = HTTPClientRequest(
                                method: "POST", url: "http://127.0.0.1:\(port)/webhooks/generic",
                                headers: [("Content-Type", "application/json")], body: ClusterConfig.body(key: n))
                            guard let response = try? await client.execute(request) else { break }
                            if (200..<300).contains(response.status) {
                                mine.append(n)
                            } else if response.status != 503 {
                                Issue.record("webhook \(n) answered \(response.status)")
                            }
                        }
                        return mine
                    }
                }
                group.addTask {
                    while true {
                        let count = (try? await SQLiteStore(path: path).counts()["incident"]) ?? 0
                        if count >= 500 { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    serve.send(SIGTERM)
                    return []
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            try await threads.shutdownGracefully()
            #expect(try await serve.waitForExit() == 0, "stderr: \(serve.standardError.suffix(2_000))")
            #expect(accepted.count >= 500)

            // Every 2xx is an incident in the store, with its dedup key; nothing else is.
            let store = try SQLiteStore(path: path)
            let keys = Set(try await store.incidents(source: "generic").map(\.dedupKey))
            let expected = Set(accepted.map { "k-\($0)" })
            #expect(expected.subtracting(keys).isEmpty, "\(expected.subtracting(keys).count) accepted webhooks are missing")
            #expect(keys.count >= expected.count)
            print("shutdown: \(accepted.count) webhooks accepted before SIGTERM, \(keys.count) incidents stored, "
                + "\(expected.subtracting(keys).count) lost")
        }
    }
}
