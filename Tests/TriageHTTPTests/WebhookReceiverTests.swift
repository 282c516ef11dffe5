import Foundation
import HTTPTypes
import NIOCore
import Testing
import TriageCore
import TriageEngine
import TriageTesting

@testable import TriageHTTP

/// A store that refuses everything, for the receiver's failure paths.
struct FailingStore: IncidentStore {
    struct Down: Error {}
    func accept(_ intake: Intake) async throws -> IntakeReceipt { throw Down() }
    func recordRejected(_ rejected: RejectedPayload, keep: Int) async throws { throw Down() }
    func rejectedPayloads(source: String?, limit: Int) async throws -> [RejectedPayload] { throw Down() }
    func incident(_ id: IncidentID) async throws -> IncidentDetail? { throw Down() }
    func ping() async throws { throw Down() }
}

struct WebhookReceiverTests {
    let source = SourceDefinition(name: "am", kind: .alertmanager, auth: .bearer(secretEnv: "AM_TOKEN"))

    func receiver(environment: [String: String]) -> WebhookReceiver {
        WebhookReceiver(sources: [source], environment: environment, store: FailingStore(), clock: SystemClock())
    }

    @Test func emptyTokenVariableCountsAsUnset() {
        #expect(receiver(environment: ["AM_TOKEN": ""]).unauthenticatedSources == ["am"])
        #expect(receiver(environment: ["AM_TOKEN": "x"]).unauthenticatedSources.isEmpty)
    }

    @Test(arguments: [
        ("application/json", true), ("application/json; charset=utf-8", true), ("application/vnd.api+json", true),
        ("text/plain", true), ("application/x-www-form-urlencoded", false), ("multipart/form-data; boundary=x", false),
        ("text/html", false),
    ])
    func contentTypes(_ type: String, _ accepted: Bool) {
        #expect(WebhookReceiver.isJSON(type) == accepted)
    }

    @Test func routingKeysAreBlankedInKeptBodies() {
        let raw = RawPayload(
            source: "pd", contentType: nil, body: Array(#"{"routing_key": "R0UT1NG", "event_action": "x"}"#.utf8),
            receivedAt: Date())
        let kept = WebhookReceiver.redacted(RejectedPayload(raw: raw, status: 422, reason: "r"))
        #expect(kept.body == #"{"routing_key": "[redacted]", "event_action": "x"}"#)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.8.9.10", true), ("::1", true), ("10.0.0.1", false), ("192.168.1.5", false),
        ("::ffff:127.0.0.1", true), ("2001:db8::1", false),
    ])
    func loopbackDetection(_ ip: String, _ expected: Bool) throws {
        let address = try SocketAddress(ipAddress: ip, port: 4000)
        #expect(TriageRequestContext.isLoopback(address) == expected)
    }

    @Test func noAddressIsNotLoopback() {
        #expect(!TriageRequestContext.isLoopback(nil))
    }
}
