import Foundation
import Testing
import TriageApp
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// Raw bodies encrypted at rest through the real service: what the receiver stores is sealed, the
/// pipeline still works, exports open with the key, and a rotation moves every body to a new key.
struct PayloadEncryptionTests {
    static let first = "k2026-05:" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
    static let second = "k2026-11:" + Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()
    static let planted = "PLANTED-raw-body-value-93f1"

    @Test func bodiesAreSealedAtRestExportReadableAndRotated() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ClusterConfig.write(in: directory.url.path, endpoint: "http://127.0.0.1:\(sinkPort)")
            let path = directory.path("triage.sqlite")
            let store = "sqlite:" + path
            let serve = try TriageProcess(
                ["serve", "--config", config, "--store", store, "--port", "0"], environment: ["TRIAGE_PAYLOAD_KEYS": Self.first])
            defer { if serve.isRunning { serve.send(SIGKILL) } }
            let port = try await serve.listeningPort()
            let client = CurlHTTPClient()
            for n in 0..<3 {
                let body = #"{"title": "Disk full \#(n)", "severity": "error", "dedup_key": "enc-\#(n)", "unmapped": "\#(Self.planted)"}"#
                let response = try await client.execute(
                    HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(port)/webhooks/generic",
                        headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
                #expect(response.status == 202 || response.status == 200)
            }
            // A refused body is kept sealed too.
            let refused = try await client.execute(
                HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(port)/webhooks/generic",
                    headers: [("Content-Type", "application/json")], body: Array(#"{"description": "no title", "x": "\#(Self.planted)"}"#.utf8)))
            #expect(refused.status == 422)
            // The pipeline works on the decoded fields: all three reach the vendor.
            for _ in 0..<200 where sink.received.count < 3 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(sink.received.count == 3)
            serve.send(SIGTERM)
            _ = try await serve.waitForExit()

            let opened = try SQLiteStore(path: path)
            let raw = try await opened.rawBodies(after: 0, limit: 10)
            #expect(raw.count == 3)
            #expect(raw.allSatisfy { PayloadCipher.keyID(of: $0.body) == "k2026-05" })
            #expect(raw.allSatisfy { !String(decoding: $0.body, as: UTF8.self).contains(Self.planted) })
            let rejected = try await opened.rejectedBodies(after: 0, limit: 10)
            #expect(rejected.count == 1)
            #expect(rejected.allSatisfy { $0.body.hasPrefix(PayloadCipher.textPrefix) && !$0.body.contains(Self.planted) })

            // Export: readable with the key, left sealed (and said so) without it.
            let readable = try await TriageProcess.run(["export", "--store", store], environment: ["TRIAGE_PAYLOAD_KEYS": Self.first])
            #expect(readable.status == 0 && readable.stdout.contains(Self.planted))
            let sealed = try await TriageProcess.run(["export", "--store", store])
            #expect(sealed.status == 0 && !sealed.stdout.contains(Self.planted))
            #expect(sealed.stderr.contains("3 raw bodies stay sealed"))
            let listed = try await TriageProcess.run(
                ["rejected", "list", "--store", store, "--body"], environment: ["TRIAGE_PAYLOAD_KEYS": Self.first])
            #expect(listed.stdout.contains(Self.planted))

            // Rotation: the new key first, the old one still listed; afterwards the old one can go.
            let both = Self.second + "," + Self.first
            let rotate = try await TriageProcess.run(
                ["payload-keys", "rotate", "--store", store], environment: ["TRIAGE_PAYLOAD_KEYS": both])
            #expect(rotate.status == 0, "\(rotate.stderr)")
            #expect(rotate.stdout.contains("rotated to key k2026-11: 4 re-sealed, 0 plain bodies sealed, 0 unchanged"))
            let status = try await TriageProcess.run(["payload-keys", "status", "--store", store])
            #expect(status.stdout.contains("raw webhook bodies: key k2026-11 3"))
            #expect(status.stdout.contains("kept rejected bodies: key k2026-11 1"))
            let afterRotation = try await TriageProcess.run(
                ["export", "--store", store], environment: ["TRIAGE_PAYLOAD_KEYS": Self.second])
            #expect(afterRotation.stdout.contains(Self.planted) && !afterRotation.stderr.contains("stay sealed"))
            #expect(try await AuditChain.verify(opened).firstBreak == nil)
            #expect(try await opened.auditTrail(limit: 10).contains { $0.action == "payload-keys rotate" })

            // A bad key list is refused at start, naming the variable but not the key.
            let bad = try await TriageProcess.run(
                ["serve", "--config", config, "--store", store, "--port", "0"],
                environment: ["TRIAGE_PAYLOAD_KEYS": "k1:" + Data(repeating: 1, count: 8).base64EncodedString()])
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("TRIAGE_PAYLOAD_KEYS: key 1 ('k1'): must be 32 bytes"))
        }
    }
}
