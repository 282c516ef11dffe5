import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A stand-in vendor endpoint whose answer to each request is chosen by the caller: `triage
/// simulate-vendor` runs one to play a vendor that sometimes fails (503, so the dispatcher's retries
/// show) and calls back. Like ``VendorSink`` it answers POST, PUT and PATCH on any path.
public final class SimulatedVendor: Sendable {
    private let answer: @Sendable (VendorSink.Received) async -> Int

    /// - Parameter answer: Called with each request once its body has arrived; returns the status
    ///   to answer (200, 503, …). Called concurrently for concurrent requests.
    public init(answer: @escaping @Sendable (VendorSink.Received) async -> Int) {
        self.answer = answer
    }

    /// Makes the HTTP application; run it in a `ServiceGroup`.
    public func application(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "triage.simulate-vendor"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            try await self.respond(request)
        }
        router.post("**", use: handler)
        router.put("**", use: handler)
        router.patch("**", use: handler)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "triage-simulated-vendor"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    private func respond(_ request: Request) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let received = VendorSink.Received(
            method: request.method.rawValue, path: request.uri.path, headers: headers, body: Array(buffer: buffer))
        let status = await answer(received)
        return Response(status: .init(code: status))
    }
}
