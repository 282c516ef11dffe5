import ArgumentParser
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import TriageCurl
import TriageHTTP
import TriageStorePostgres

/// `triage bench cluster`: incidents per second end to end (webhook → receiver → store → worker
/// → libcurl → vendor endpoint) with 1, 2 and 4 worker processes on one PostgreSQL database,
/// and the same workload on SQLite with one process, in one run. Every process is a real
/// `triage serve` child of this one; the vendor endpoint runs here.
struct ClusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "End-to-end incidents/s: 1, 2, 4 workers on PostgreSQL against one SQLite process.",
        discussion: "Needs a PostgreSQL server where the user may create databases: one per run is created and left for inspection.")

    @Option(name: .long, help: "A PostgreSQL server: postgres://USER@HOST[:PORT]/DATABASE (a database to connect to).")
    var postgres: String

    @Option(name: .long, help: "Incidents per run (distinct webhooks).")
    var incidents = 5_000

    @Option(name: .long, help: "Worker process counts on PostgreSQL, comma-separated.")
    var workers = "1,2,4"

    @Option(name: .long, help: "Webhooks posted at once.")
    var concurrency = 32

    func validate() throws {
        guard (1...1_000_000).contains(incidents) else { throw ValidationError("--incidents must be 1...1000000") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1...256") }
        guard workerCounts != nil else { throw ValidationError("--workers '\(workers)': expected counts like 1,2,4") }
        do {
            guard case .postgres = try StoreURL(parsing: postgres) else { throw ValidationError("--postgres: expected postgres://…") }
        } catch let error as StoreURLError {
            throw ValidationError(error.description)
        }
    }

    var workerCounts: [Int]? {
        let values = workers.split(separator: ",").map { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ (1...16).contains($0 ?? 0) }) else { return nil }
        return values.compactMap { $0 }
    }

    func run() async throws {
        guard case .postgres(let server) = try StoreURL(parsing: postgres), let counts = workerCounts else { throw ExitCode(2) }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical  // the endpoint's shutdown at the end is not news
        let sink = VendorSink()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = sink.application(port: 0, logger: logger) { portContinuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        let sinkTask = Task { try await group.run() }
        defer { sinkTask.cancel() }
        var ports = portStream.makeAsyncIterator()
        guard let sinkPort = await ports.next() else { throw ValidationError("the local endpoint did not start") }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("triage-cluster-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try ClusterConfig.write(
            in: directory, endpoint: "http://127.0.0.1:\(sinkPort)", capacity: incidents * 4)
        let threads = NIOThreadPool(numberOfThreads: concurrency)
        threads.start()
        let client = CurlHTTPClient(threadPool: threads, maxIdleHandles: concurrency)
        let runner = ClusterRun(
            config: config, client: client, sink: sink, incidents: incidents, concurrency: concurrency)

        print("end to end: \(incidents) incidents per run, \(concurrency) webhooks in flight, "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("store        processes                 accepted/s   incidents/s   vs SQLite")
        let sqlite = try await runner.measure(
            store: "sqlite:\(directory)/bench.sqlite", roles: [["--role", "all"]], label: "SQLite", baseline: nil)
        for count in counts {
            let name = "bench_\(getpid())_w\(count)"
            try await PostgresStore.createDatabase(name, on: server)
            let url = server.with(database: name).redacted
            let roles = [["--role", "receiver"]] + Array(repeating: ["--role", "worker"], count: count)
            _ = try await runner.measure(
                store: url, roles: roles, label: "PostgreSQL", baseline: sqlite)
        }
        try await threads.shutdownGracefully()
    }
}
