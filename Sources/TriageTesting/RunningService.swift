import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TriageHTTP

/// Runs services in a `ServiceGroup` for the length of a test body, then shuts them down gracefully.
public enum RunningService {
    /// Starts `services`, waits for `ready` to report a port, runs `body` with it, then stops.
    public static func with<T: Sendable>(
        _ services: [any Service],
        ready: PortWaiter,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, logger: Logger(label: "test"))
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try await ready.wait()
                let result = try await body(port)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Runs a ``VendorSink`` on `port` (0 = any) for the length of `body`.
    public static func withSink<T: Sendable>(
        _ sink: VendorSink,
        port: Int = 0,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let ready = PortWaiter()
        let app = sink.application(port: port, logger: Logger(label: "sink")) { await ready.report($0) }
        return try await with([app], ready: ready, body)
    }
}

/// Hands the bound port from a server's `onServerRunning` to the test.
public final class PortWaiter: Sendable {
    private let port = Mutex<Int?>(nil)

    public init() {}

    public func report(_ port: Int) async {
        self.port.withLock { $0 = port }
    }

    /// The port, polling for up to ten seconds of real time while the server starts.
    public func wait() async throws -> Int {
        for _ in 0..<1000 {
            if let port = port.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ServerDidNotStart()
    }
}

public struct ServerDidNotStart: Error {}
