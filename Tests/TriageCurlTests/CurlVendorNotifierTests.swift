import Foundation
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageTesting

struct CurlVendorNotifierTests {
    func message(endpoint: String, vendor: String = "acme") -> OutboxMessage {
        var generator = SystemRandomNumberGenerator()
        let id = IncidentID(now: Date(timeIntervalSince1970: 1_790_000_000), using: &generator)
        return OutboxMessage(
            id: "\(id)-1", incidentID: id, vendor: vendor, endpoint: endpoint, body: Array(#"{"x":1}"#.utf8),
            attempts: 0, owner: "t")
    }

    @Test func sendsIdempotencyKeyHeadersFromEnvironmentAndAValidSignature() async throws {
        let vendor = Vendor(
            name: "acme", endpoint: "unused", headerEnv: ["Authorization": "ACME_AUTH"], signingSecretEnv: "ACME_SECRET")
        let environment = ["ACME_AUTH": "Bearer s3cr3t-token", "ACME_SECRET": "signing-key"]
        let notifier = CurlVendorNotifier(
            client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings(),
            environment: { environment[$0] }, now: { Date(timeIntervalSince1970: 1_790_000_000) })
        let sink = VendorSink()
        try await RunningService.withSink(sink) { port in
            let msg = message(endpoint: "http://127.0.0.1:\(port)/acme")
            let result = await notifier.deliver(msg)
            #expect(result == .success(200))
            let received = try #require(sink.received.first)
            #expect(received.path == "/acme")
            #expect(received.body == msg.body)
            #expect(received.headers["idempotency-key"] == msg.id)
            #expect(received.headers["authorization"] == "Bearer s3cr3t-token")
            #expect(received.headers["content-type"] == "application/json")
            #expect(received.headers["x-triage-timestamp"] == "1790000000")
            let expected = DeliverySignature.sign(secret: "signing-key", body: msg.body, timestamp: 1_790_000_000)
            #expect(received.headers["x-triage-signature"] == "sha256=" + expected)
            #expect(expected.count == 64)
        }
    }

    @Test func missingSecretFailsWithoutSendingAndWithoutLeakingValues() async throws {
        let vendor = Vendor(name: "acme", endpoint: "unused", headerEnv: ["Authorization": "ACME_AUTH"])
        let notifier = CurlVendorNotifier(
            client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings(), environment: { _ in nil })
        let sink = VendorSink()
        try await RunningService.withSink(sink) { port in
            let result = await notifier.deliver(message(endpoint: "http://127.0.0.1:\(port)/acme"))
            guard case .failure(let failure) = result else {
                Issue.record("expected a failure, got \(result)")
                return
            }
            #expect(failure.reason == .auth)
            #expect(!failure.isRetryable)
            #expect(failure.message == "header Authorization: environment variable ACME_AUTH is not set")
            #expect(sink.received.isEmpty)
        }
    }

    @Test func aHeaderValueWithALineBreakIsRefusedNotSent() async throws {
        let vendor = Vendor(name: "acme", endpoint: "unused", headerEnv: ["Authorization": "ACME_AUTH"])
        let notifier = CurlVendorNotifier(
            client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings(),
            environment: { _ in "Bearer t\r\nX-Injected: yes" })
        let sink = VendorSink()
        try await RunningService.withSink(sink) { port in
            let result = await notifier.deliver(message(endpoint: "http://127.0.0.1:\(port)/acme"))
            guard case .failure(let failure) = result else {
                Issue.record("expected a failure, got \(result)")
                return
            }
            #expect(failure.reason == .auth)
            #expect(failure.message == "header Authorization: environment variable ACME_AUTH contains a line break")
            #expect(!failure.message.contains("Bearer"))  // the value itself is never echoed
            #expect(sink.received.isEmpty)
        }
    }

    @Test func vendorsTicketIdIsReadFromItsAnswer() {
        #expect(ExternalReference.read(Array(#"{"id":"10042","key":"ACME-42","self":"https://x"}"#.utf8)) == "ACME-42")
        #expect(ExternalReference.read(Array(#"{"result":{"sys_id":"9d38","number":"INC0010001"}}"#.utf8)) == "9d38")
        #expect(ExternalReference.read(Array(#"{"number":12,"title":"x"}"#.utf8)) == "12")
        #expect(ExternalReference.read(Array(#"{"id":7}"#.utf8)) == "7")
        #expect(ExternalReference.read(Array("ok".utf8)) == nil)
        #expect(ExternalReference.read([]) == nil)
    }

    @Test func classifiesVendorAnswersAndTransportFailures() async throws {
        let notifier = CurlVendorNotifier(client: CurlHTTPClient(), vendors: [], settings: DeliverySettings())
        let sink = VendorSink(failFirst: 1)
        try await RunningService.withSink(sink) { port in
            let first = await notifier.deliver(message(endpoint: "http://127.0.0.1:\(port)/x"))
            #expect(first == .failure(DeliveryFailure(reason: .serverError, status: 503, message: "HTTP 503")))
            let second = await notifier.deliver(message(endpoint: "http://127.0.0.1:\(port)/x"))
            #expect(second == .success(200))
        }
        let refused = await notifier.deliver(message(endpoint: "http://127.0.0.1:1/x"))
        guard case .failure(let failure) = refused else {
            Issue.record("expected refused, got \(refused)")
            return
        }
        #expect(failure.reason == .refused)
        #expect(failure.isRetryable)
    }
}
