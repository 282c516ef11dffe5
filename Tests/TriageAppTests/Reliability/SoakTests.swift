import Foundation
import NIOPosix
import Testing
import TriageApp
import TriageCurl
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// A long steady load on one `triage serve` (SQLite): incidents opened and resolved at a fixed rate
/// while retention purges what is closed. Memory, open files and the database file must level off
/// instead of growing with the number of incidents. `TRIAGE_RELIABILITY=full` runs it for 10 minutes.
struct SoakTests {
    struct Scale {
        var seconds: Int
        var perSecond: Int
        /// How long after opening an incident it is resolved, and how long a closed one is kept.
        var resolveAfter: Int
        var keepClosed: Int
        var sampleEvery: Int

        static let short = Scale(seconds: 45, perSecond: 40, resolveAfter: 3, keepClosed: 6, sampleEvery: 3)
        static let full = Scale(seconds: 600, perSecond: 50, resolveAfter: 5, keepClosed: 30, sampleEvery: 10)
        static var current: Scale { ProcessInfo.processInfo.environment["TRIAGE_RELIABILITY"] == "full" ? .full : .short }
    }

    struct Sample {
        var second: Int
        var resources: ProcessResources
        var databaseBytes: Int
        var incidents: Int
    }

    @Test func memoryFilesAndTheDatabaseLevelOffUnderASteadyLoad() async throws {
        let scale = Scale.current
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ClusterConfig.write(
                in: directory.url.path, endpoint: "http://127.0.0.1:\(sinkPort)", capacity: 1_000_000)
            try """
                retention:
                  check_every: 2s
                  raw_payloads: \(scale.keepClosed)s
                  closed_incidents: \(scale.keepClosed)s
                  closed_incident_action: purge
                  rejected_payloads: \(scale.keepClosed)s
                  delivered_messages: \(scale.keepClosed)s
                """.write(toFile: config + "/retention.yaml", atomically: true, encoding: .utf8)
            let path = directory.path("triage.sqlite")
            let serve = try TriageProcess(["serve", "--config", config, "--store", "sqlite:" + path, "--port", "0"])
            defer { if serve.isRunning { serve.send(SIGKILL) } }
            let port = try await serve.listeningPort()
            let threads = NIOThreadPool(numberOfThreads: 8)
            threads.start()
            let client = CurlHTTPClient(threadPool: threads, maxIdleHandles: 8)
            let url = "http://127.0.0.1:\(port)/webhooks/generic"
            let post: @Sendable (String) async -> Bool = { body in
                let request = HTTPClientRequest(
                    method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
                let status = (try? await client.execute(request))?.status ?? 0
                return (200..<300).contains(status)
            }

            let (failures, samples) = try await withThrowingTaskGroup(of: (Int, [Sample]).self) { group in
                // The load: each second, `perSecond` new incidents and the resolution of those opened
                // `resolveAfter` seconds before, on a fixed schedule (no catching up in bursts).
                group.addTask {
                    let start = ContinuousClock.now
                    var failed = 0
                    for second in 0..<scale.seconds {
                        try await Task.sleep(until: start + .seconds(second), clock: .continuous)
                        failed += await withTaskGroup(of: Bool.self) { lanes in
                            for n in 0..<scale.perSecond {
                                let key = second * scale.perSecond + n
                                lanes.addTask { await post(String(decoding: ClusterConfig.body(key: key), as: UTF8.self)) }
                                if second >= scale.resolveAfter {
                                    let old = key - scale.resolveAfter * scale.perSecond
                                    lanes.addTask {
                                        await post(#"{"title": "resolved", "status": "resolved", "dedup_key": "k-\#(old)"}"#)
                                    }
                                }
                            }
                            return await lanes.reduce(0) { $0 + ($1 ? 0 : 1) }
                        }
                    }
                    return (failed, [])
                }
                group.addTask {
                    let start = ContinuousClock.now
                    var samples: [Sample] = []
                    for second in stride(from: 0, through: scale.seconds, by: scale.sampleEvery) {
                        try await Task.sleep(until: start + .seconds(second), clock: .continuous)
                        guard let resources = ProcessResources.of(pid: serve.pid) else { break }
                        let incidents = (try? await SQLiteStore(path: path).counts()["incident"]) ?? -1
                        samples.append(
                            Sample(
                                second: second, resources: resources, databaseBytes: ProcessResources.sqliteBytes(path: path),
                                incidents: incidents))
                    }
                    return (0, samples)
                }
                let all = try await group.reduce(into: (0, [Sample]())) { $0.0 += $1.0; $0.1 += $1.1 }
                return (all.0, all.1.sorted { $0.second < $1.second })
            }
            try await threads.shutdownGracefully()
            #expect(serve.isRunning, "stderr: \(serve.standardError.suffix(2_000))")
            #expect(failures == 0, "\(failures) webhooks not answered 2xx")

            let megabytes = { (bytes: Int) in Double(bytes) / 1_048_576 }
            for sample in samples where sample.second % max(scale.sampleEvery, scale.seconds / 10) == 0 {
                print(
                    "soak: t=\(sample.second)s rss=\(Self.format(megabytes(sample.resources.residentBytes))) MB "
                        + "fds=\(sample.resources.openFiles) db=\(Self.format(megabytes(sample.databaseBytes))) MB "
                        + "incidents=\(sample.incidents)")
            }
            // Steady state: after the first third, nothing may keep growing with the number of incidents
            // sent (which triples from the end of the first third to the end).
            let third = samples.count / 3
            let middle = Array(samples[third..<(2 * third)])
            let last = Array(samples[(2 * third)...])
            let peak = { (part: [Sample], value: (Sample) -> Int) in part.map(value).max() ?? 0 }
            let rss = (peak(middle) { $0.resources.residentBytes }, peak(last) { $0.resources.residentBytes })
            let files = (peak(middle) { $0.resources.openFiles }, peak(last) { $0.resources.openFiles })
            let database = (peak(middle) { $0.databaseBytes }, peak(last) { $0.databaseBytes })
            let incidents = (peak(middle) { $0.incidents }, peak(last) { $0.incidents })
            let sent = scale.seconds * scale.perSecond
            print(
                "soak: \(scale.seconds) s, \(sent) incidents opened and resolved; peak middle third -> last third: "
                    + "rss \(Self.format(megabytes(rss.0))) -> \(Self.format(megabytes(rss.1))) MB, fds \(files.0) -> \(files.1), "
                    + "db \(Self.format(megabytes(database.0))) -> \(Self.format(megabytes(database.1))) MB, "
                    + "incidents kept \(incidents.0) -> \(incidents.1)")
            #expect(rss.1 <= rss.0 + rss.0 / 4 + 16 * 1_048_576, "memory kept growing")
            #expect(files.1 <= files.0 + 16, "file descriptors leak")
            #expect(database.1 <= database.0 + database.0 / 2 + 1_048_576, "the database kept growing")
            #expect(incidents.1 <= incidents.0 + incidents.0 / 2 + 100, "closed incidents were not purged")
        }
    }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
