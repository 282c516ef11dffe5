import Foundation
import Hummingbird
import Logging
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageTesting

/// The receiver over a store that refuses everything: the sender is told to retry (503), its own
/// mistakes are still answered 400, and readiness says the store is down.
struct StoreDownTests {
    @Test func storeFailuresAnswer503AndBadPayloadsStill400() async throws {
        let store = FailingStore()
        let receiver = WebhookReceiver(
            sources: [SourceDefinition(name: "generic", kind: .generic)], environment: [:], store: store,
            clock: SystemClock())
        let router = TriageRouter.make(receiver: receiver, store: store, metrics: nil)
        let ready = PortWaiter()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await ready.report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test"))
        let client = CurlHTTPClient()
        try await RunningService.with([app], ready: ready) { port in
            let base = "http://127.0.0.1:\(port)"
            let good = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: "\(base)/webhooks/generic", headers: [("Content-Type", "application/json")],
                    body: Array(#"{"title":"t"}"#.utf8)))
            #expect(good.status == 503)
            #expect(
                String(decoding: good.body, as: UTF8.self)
                    == #"{"detail":"could not store the webhook; nothing was kept, retry later","error":"unavailable"}"#)
            let bad = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: "\(base)/webhooks/generic", headers: [("Content-Type", "application/json")],
                    body: Array(#"{"title":{"x":1}}"#.utf8)))
            #expect(bad.status == 422)
            #expect(try await client.execute(HTTPClientRequest(url: "\(base)/readyz")).status == 503)
            #expect(try await client.execute(HTTPClientRequest(url: "\(base)/healthz")).status == 200)
        }
    }
}
