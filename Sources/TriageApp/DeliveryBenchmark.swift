import ArgumentParser
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite

/// `triage bench delivery`: outbox → libcurl → a local endpoint, with N deliveries in flight,
/// against a plain `curl` command loop (one after another, and 64 at once with `xargs -P`) to the
/// same endpoint in the same run. Build with `-c release` for real figures.
struct DeliveryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delivery",
        abstract: "Deliveries per second from the outbox to a local endpoint, against a curl command loop.")

    @Option(name: .long, help: "Messages delivered by triage.")
    var messages = 20_000

    @Option(name: .long, help: "Deliveries in flight at once.")
    var concurrency = 64

    @Option(name: .long, help: "Requests sent by each curl baseline (a process per request).")
    var curlRequests = 1_000

    @Option(name: .long, help: "SQLite durability of the outbox: full or normal.")
    var sqliteSync = SQLiteStore.Durability.full.rawValue

    func validate() throws {
        guard (1...1_000_000).contains(messages) else { throw ValidationError("--messages must be 1...1000000") }
        guard (1...1024).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1024") }
        guard (0...100_000).contains(curlRequests) else { throw ValidationError("--curl-requests must be 0...100000") }
        guard SQLiteStore.Durability(rawValue: sqliteSync) != nil else {
            throw ValidationError("--sqlite-sync '\(sqliteSync)': expected full or normal")
        }
    }

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let sink = VendorSink()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = sink.application(port: 0, logger: logger) { portContinuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        let server = Task { try await group.run() }
        defer { server.cancel() }
        var ports = portStream.makeAsyncIterator()
        guard let port = await ports.next() else { throw ValidationError("the local endpoint did not start") }
        let endpoint = "http://127.0.0.1:\(port)/vendor"

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("triage-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(
            path: directory + "/outbox.sqlite", durability: SQLiteStore.Durability(rawValue: sqliteSync) ?? .full)
        var vendor = Vendor(name: "bench", endpoint: endpoint)
        vendor.maxConcurrency = concurrency
        print("queueing \(messages) messages…")
        try await queueMessages(store: store, vendor: vendor, logger: logger)

        let threads = NIOThreadPool(numberOfThreads: concurrency)
        threads.start()
        var configuration = Dispatcher<SystemClock>.Configuration(owner: "bench")
        configuration.maxInFlight = concurrency
        configuration.endpointConcurrency = concurrency
        configuration.batchSize = max(8, concurrency / 2)
        configuration.idlePoll = .milliseconds(5)
        let dispatcher = Dispatcher(
            outbox: store,
            notifier: CurlVendorNotifier(
                client: CurlHTTPClient(threadPool: threads, maxIdleHandles: concurrency), vendors: [vendor],
                settings: DeliverySettings()),
            clock: SystemClock(), configuration: configuration, logger: logger)
        let started = ContinuousClock.now
        let running = Task { try await dispatcher.run() }
        while sink.received.count < messages { try await Task.sleep(for: .milliseconds(2)) }
        let triageTime = ContinuousClock.now - started
        running.cancel()
        _ = try? await running.value
        try await threads.shutdownGracefully()
        let recorded = try await store.outboxEntries(status: "delivered", limit: messages + 1).count
        let keys = Set(sink.received.compactMap { $0.headers["idempotency-key"] }).count

        let body = directory + "/body.json"
        try Data(sink.received[0].body).write(to: URL(fileURLWithPath: body))
        let curlArguments =
            "curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -H \"Idempotency-Key: curl-$i\" --data-binary @\(body) \(endpoint)"
        let sequential = try time("for i in $(seq 1 \(curlRequests)); do \(curlArguments); done")
        let parallel = try time(
            "seq 1 \(curlRequests) | xargs -P \(concurrency) -I{} sh -c 'i={}; \(curlArguments.replacingOccurrences(of: "'", with: "\"")) '")

        let triageRate = Double(messages) / triageTime.seconds
        let table = [
            ("triage (\(concurrency) in flight, outbox \(sqliteSync))", messages, triageTime.seconds),
            ("curl loop, one after another", curlRequests, sequential),
            ("curl, \(concurrency) at once (xargs -P)", curlRequests, parallel),
        ]
        print("")
        print("| sender | deliveries | seconds | deliveries/s | triage ÷ it |")
        print("|---|---:|---:|---:|---:|")
        for (name, count, seconds) in table {
            let rate = Double(count) / seconds
            print(
                "| \(name) | \(count) | \(String(format: "%.2f", seconds)) | \(String(format: "%.0f", rate)) | "
                    + "\(String(format: "%.1f", triageRate / rate))× |")
        }
        print("")
        print("delivered and recorded: \(recorded) of \(messages); distinct idempotency keys at the endpoint: \(keys)")
        print("endpoint requests received: \(sink.received.count) (triage \(messages) + curl \(2 * curlRequests))")
    }

    /// Accepts `messages` incidents and lets the worker triage them to `vendor` (not timed).
    func queueMessages(store: SQLiteStore, vendor: Vendor, logger: Logger) async throws {
        let raw = RawPayload(source: "bench", contentType: nil, body: [], receivedAt: Date())
        for start in stride(from: 0, to: messages, by: 1000) {
            let drafts = (start..<min(messages, start + 1000)).map {
                IncidentDraft(source: "bench", dedupKey: "bench-\($0)", title: "Disk full on db-\($0 % 50)", severity: .error)
            }
            _ = try await store.accept(drafts, raw: raw)
        }
        let policy = TriagePolicy(rules: RuleSet(rules: []), vendors: [vendor], defaultVendor: vendor.name)
        var configuration = TriageWorker<SystemClock>.Configuration(owner: "bench")
        configuration.batchSize = 500
        let worker = TriageWorker(
            queue: store, policies: PolicyHolder(policy), clock: SystemClock(), configuration: configuration, logger: logger)
        while try await worker.runOnce() > 0 {}
    }

    /// Runs `script` with `sh` and returns its wall time in seconds.
    func time(_ script: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("curl baseline failed: \(script)") }
        return (ContinuousClock.now - started).seconds
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
