import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A stand-in vendor endpoint: records every request it receives and answers 200, or 503 for the
/// first `failFirst` requests (or another failure status). `triage sink` runs one for the quick start; tests run one to see
/// exactly what a vendor would get.
public final class VendorSink: Sendable {
    /// One request as received.
    public struct Received: Sendable {
        public var method: String
        public var path: String
        /// Header values by lower-cased name.
        public var headers: [String: String]
        public var body: [UInt8]

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    private struct State {
        var received: [Received] = []
        var failuresLeft: Int
        var inFlight = 0
        var maxInFlight = 0
        var inFlightByPath: [String: Int] = [:]
        var maxInFlightByPath: [String: Int] = [:]
        var holdLeft: Int
        var released = false
    }

    private let state: Mutex<State>
    private let failStatus: Int
    private let retryAfter: Int?
    private let delay: Duration
    private let responseBody: [UInt8]?
    private let onReceive: @Sendable (Received, Int) -> Void

    /// - Parameters:
    ///   - failFirst: How many requests to answer `failStatus` before answering 200.
    ///   - failStatus: The status of those failures (503 by default).
    ///   - retryAfter: Seconds sent as `Retry-After` with each failure, if any.
    ///   - delay: How long to take over each answer (a slow vendor).
    ///   - holdFirst: How many requests to keep unanswered until ``releaseHeld()`` (at most a minute):
    ///     a vendor that hangs, for killing the sender mid-delivery.
    ///   - responseBody: JSON answered with each 200 (a vendor API saying what it created).
    ///   - onReceive: Called with each request and the status answered.
    public init(
        failFirst: Int = 0,
        failStatus: Int = 503,
        retryAfter: Int? = nil,
        delay: Duration = .zero,
        holdFirst: Int = 0,
        responseBody: [UInt8]? = nil,
        onReceive: @escaping @Sendable (Received, Int) -> Void = { _, _ in }
    ) {
        self.state = Mutex(State(failuresLeft: failFirst, holdLeft: holdFirst))
        self.failStatus = failStatus
        self.retryAfter = retryAfter
        self.delay = delay
        self.responseBody = responseBody
        self.onReceive = onReceive
    }

    /// Everything received so far, in order.
    public var received: [Received] { state.withLock { $0.received } }

    /// The most requests it was answering at once.
    public var maxInFlight: Int { state.withLock { $0.maxInFlight } }

    /// The most requests to `path` it was answering at once.
    public func maxInFlight(path: String) -> Int { state.withLock { $0.maxInFlightByPath[path] ?? 0 } }

    /// Lets held requests answer.
    public func releaseHeld() { state.withLock { $0.released = true } }

    /// Makes the HTTP application; run it in a `ServiceGroup`. It answers POST, PUT and PATCH on any path.
    public func application(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "triage.sink"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            try await self.answer(request)
        }
        router.post("**", use: handler)
        router.put("**", use: handler)
        router.patch("**", use: handler)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "triage-sink"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    private func answer(_ request: Request) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let received = Received(
            method: request.method.rawValue, path: request.uri.path, headers: headers, body: Array(buffer: buffer))
        let (status, hold) = state.withLock { state -> (Int, Bool) in
            state.received.append(received)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            state.inFlightByPath[received.path, default: 0] += 1
            state.maxInFlightByPath[received.path] = max(
                state.maxInFlightByPath[received.path] ?? 0, state.inFlightByPath[received.path] ?? 0)
            let hold = state.holdLeft > 0
            if hold { state.holdLeft -= 1 }
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                return (self.failStatus, hold)
            }
            return (200, hold)
        }
        defer {
            state.withLock {
                $0.inFlight -= 1
                $0.inFlightByPath[received.path, default: 0] -= 1
            }
        }
        self.onReceive(received, status)
        if hold {
            for _ in 0..<6000 where !state.withLock({ $0.released }) { try await Task.sleep(for: .milliseconds(10)) }
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        if status != 200, let seconds = self.retryAfter {
            return Response(status: .init(code: status), headers: [.retryAfter: "\(seconds)"])
        }
        if status == 200, let responseBody {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: responseBody)))
        }
        return Response(status: .init(code: status))
    }
}
