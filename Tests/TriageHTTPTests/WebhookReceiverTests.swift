import Foundation
import HTTPTypes
import NIOCore
import Testing
import TriageCore
import TriageEngine
import TriageHTTP
import TriageTesting

/// A store that refuses everything, for the receiver's failure paths.
struct FailingStore: IncidentStore {
    struct Down: Error {}
    func accept(_ drafts: [IncidentDraft], raw: RawPayload) async throws -> [AcceptedIncident] { throw Down() }
    func recordRejected(_ raw: RawPayload, reason: String) async throws { throw Down() }
    func incident(_ id: IncidentID) async throws -> IncidentDetail? { throw Down() }
    func ping() async throws { throw Down() }
}

struct WebhookReceiverTests {
    let source = SourceDefinition(name: "am", kind: .alertmanager, tokenEnv: "AM_TOKEN")

    func receiver(environment: [String: String]) -> WebhookReceiver {
        WebhookReceiver(sources: [source], environment: environment, store: FailingStore(), clock: SystemClock())
    }

    @Test func sourceWithoutTokenAcceptsLoopbackOnly() throws {
        let open = receiver(environment: [:])
        #expect(open.unauthenticatedSources == ["am"])
        try open.authenticate([:], fromLoopback: true, source: source)
        let error = #expect(throws: APIError.self) { try open.authenticate([:], fromLoopback: false, source: source) }
        #expect(error?.status == .forbidden)
        #expect(error?.message == "source 'am' has no token configured; only loopback senders are accepted")
    }

    @Test func sourceWithTokenNeedsItFromEveryone() throws {
        let guarded = receiver(environment: ["AM_TOKEN": "tok-123"])
        #expect(guarded.unauthenticatedSources.isEmpty)
        try guarded.authenticate([.authorization: "Bearer tok-123"], fromLoopback: false, source: source)
        try guarded.authenticate([HTTPField.Name("X-Triage-Token")!: "tok-123"], fromLoopback: false, source: source)
        for headers: HTTPFields in [[:], [.authorization: "Bearer tok-124"], [.authorization: "Basic tok-123"]] {
            let error = #expect(throws: APIError.self) {
                try guarded.authenticate(headers, fromLoopback: true, source: source)
            }
            #expect(error?.status == .unauthorized)
            #expect(error?.message.contains("tok-") == false)
        }
    }

    @Test func emptyTokenVariableCountsAsUnset() {
        #expect(receiver(environment: ["AM_TOKEN": ""]).unauthenticatedSources == ["am"])
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
