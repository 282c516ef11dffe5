import Foundation
import Hummingbird
import Logging
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageTesting

/// A store whose ping answers (or hangs), with migrations pending or not; nothing else is used.
struct ProbeStore: IncidentStore, OperationalStats {
    struct Unused: Error {}
    var hangs = false
    var pending: [String] = []

    func accept(_ intake: Intake) async throws -> IntakeReceipt { throw Unused() }
    func recordRejected(_ rejected: RejectedPayload, keep: Int) async throws { throw Unused() }
    func rejectedPayloads(source: String?, limit: Int) async throws -> [RejectedPayload] { throw Unused() }
    func incident(_ id: IncidentID) async throws -> IncidentDetail? { throw Unused() }
    func ping() async throws {
        if hangs { try await Task.sleep(for: .seconds(60)) }
    }
    func queueStats(now: Date) async throws -> QueueStats { QueueStats() }
    func pendingMigrations() async throws -> [String] { pending }
}

/// `GET /readyz` answers 200 only when every check passes, else 503 naming each failed check.
struct ReadinessTests {
    let client = CurlHTTPClient()

    /// Serves the router over `store` with `readiness`, and answers `GET /readyz` as (status, body).
    func readyz(_ store: any IncidentStore, _ readiness: Readiness?) async throws -> (status: Int, body: String) {
        let receiver = WebhookReceiver(
            sources: [SourceDefinition(name: "generic", kind: .generic)], environment: [:], store: store, clock: SystemClock())
        let router = TriageRouter.make(receiver: receiver, store: store, metrics: nil, readiness: readiness?.problems)
        let ready = PortWaiter()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await ready.report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test"))
        return try await RunningService.with([app], ready: ready) { port in
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"))
            return (response.status, String(decoding: response.body, as: UTF8.self))
        }
    }

    @Test func readyWhenEveryCheckPasses() async throws {
        let store = ProbeStore()
        let answer = try await readyz(store, Readiness(store: store, rulesLoaded: { true }, migrations: store))
        #expect(answer.status == 200)
        #expect(answer.body == #"{"status":"ready"}"#)
        // Without checks given, the store alone decides.
        #expect(try await readyz(store, nil).status == 200)
    }

    @Test func aStoreThatFailsIsNamed() async throws {
        let store = FailingStore()
        let answer = try await readyz(store, Readiness(store: store, rulesLoaded: { true }))
        #expect(answer.status == 503)
        #expect(answer.body == #"{"detail":"store: not answering (the error is in the log)","error":"not_ready"}"#)
        #expect(try await readyz(store, nil).status == 503)
    }

    @Test func aStoreThatHangsIsNamedAfterTheTimeout() async throws {
        let store = ProbeStore(hangs: true)
        let answer = try await readyz(store, Readiness(store: store, timeout: .milliseconds(200)))
        #expect(answer.status == 503)
        #expect(answer.body == #"{"detail":"store: no answer within 0.2s","error":"not_ready"}"#)
    }

    @Test func everyFailedCheckIsListed() async throws {
        let store = FailingStore()
        let answer = try await readyz(store, Readiness(store: store, rulesLoaded: { false }))
        #expect(answer.status == 503)
        #expect(answer.body.contains(#""detail":"store: not answering (the error is in the log); rules: no rule set loaded""#))
    }

    @Test func pendingMigrationsAreNamed() async throws {
        let store = ProbeStore(pending: ["v9-next"])
        let answer = try await readyz(store, Readiness(store: store, rulesLoaded: { true }, migrations: store))
        #expect(answer.status == 503)
        #expect(answer.body == #"{"detail":"migrations: 1 pending (v9-next)","error":"not_ready"}"#)
    }
}
