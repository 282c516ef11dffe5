import Foundation
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageTesting

/// TLS verification stays on; a target's own CA bundle is how a private CA is trusted.
struct TLSVerificationTests {
    @Test func aPrivateCertificateIsRefusedUnlessTheTargetsCABundleTrustsIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await TLSTestServer(directory: directory)
        defer { server.kill() }
        let url = "https://127.0.0.1:\(server.port)/hook"
        let client = CurlHTTPClient()

        // The system's CAs do not know this certificate: a TLS failure, never an unverified answer.
        let refused = await #expect(throws: CurlError.self) {
            _ = try await client.execute(HTTPClientRequest(method: "POST", url: url, body: Array("{}".utf8)))
        }
        #expect(refused?.kind == .tls)

        let trusted = try await client.execute(
            HTTPClientRequest(method: "POST", url: url, body: Array("{}".utf8), caBundle: server.certificate))
        #expect(trusted.status == 200)
        #expect(trusted.body == Array("ok".utf8))

        // Through the notifier: the vendor's ca_bundle is used, another vendor's absence of one is not.
        var privateVendor = Vendor(name: "private", endpoint: url)
        privateVendor.caBundle = server.certificate
        let publicVendor = Vendor(name: "public", endpoint: url)
        let notifier = CurlVendorNotifier(
            client: client, vendors: [privateVendor, publicVendor], settings: DeliverySettings())
        var generator = SystemRandomNumberGenerator()
        let id = IncidentID(now: Date(), using: &generator)
        func message(_ vendor: String) -> OutboxMessage {
            OutboxMessage(
                id: "\(id)-\(vendor)", incidentID: id, vendor: vendor, endpoint: url, body: Array("{}".utf8), attempts: 0,
                owner: "t")
        }
        #expect(await notifier.deliver(message("private")) == .success(200))
        guard case .failure(let failure) = await notifier.deliver(message("public")) else {
            Issue.record("delivered to an unverified certificate")
            return
        }
        #expect(failure.reason == .tls)
        #expect(failure.isRetryable == false)  // a certificate problem goes to the dead-letter queue
    }
}
