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

    private let state: Mutex<(received: [Received], failuresLeft: Int)>
    private let failStatus: Int
    private let retryAfter: Int?
    private let onReceive: @Sendable (Received, Int) -> Void

    /// - Parameters:
    ///   - failFirst: How many requests to answer `failStatus` before answering 200.
    ///   - failStatus: The status of those failures (503 by default).
    ///   - retryAfter: Seconds sent as `Retry-After` with each failure, if any.
    ///   - onReceive: Called with each request and the status answered.
    public init(
        failFirst: Int = 0,
        failStatus: Int = 503,
        retryAfter: Int? = nil,
        onReceive: @escaping @Sendable (Received, Int) -> Void = { _, _ in }
    ) {
        self.state = Mutex(([], failFirst))
        self.failStatus = failStatus
        self.retryAfter = retryAfter
        self.onReceive = onReceive
    }

    /// Everything received so far, in order.
    public var received: [Received] { state.withLock { $0.received } }

    /// Makes the HTTP application; run it in a `ServiceGroup`.
    public func application(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "triage.sink"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post("**") { request, context -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 4 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let received = Received(
                method: request.method.rawValue,
                path: request.uri.path,
                headers: headers,
                body: Array(buffer: buffer)
            )
            let status = self.state.withLock { state -> Int in
                state.received.append(received)
                if state.failuresLeft > 0 {
                    state.failuresLeft -= 1
                    return self.failStatus
                }
                return 200
            }
            self.onReceive(received, status)
            if status != 200, let seconds = self.retryAfter {
                return Response(status: .init(code: status), headers: [.retryAfter: "\(seconds)"])
            }
            return Response(status: .init(code: status))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "triage-sink"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
