import Foundation
import Logging
import Testing
import TriageApp
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

// TEMPORARY scratch: dumps real answers to /tmp/oa/dump for documenting the API. Removed after use.
extension EndToEndTests {
    @Test func zzOpenAPIScratchDump() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = "/tmp/oa/dump"
        try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try await RunningService.withSink(VendorSink()) { (sinkPort: Int) async throws -> Void in
            let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            let configuration = try ConfigLoader.load(directory: configPath)
            let store = try SQLiteStore(path: directory.path("triage.sqlite"))
            try await withServer(configuration, store: store, reloadFrom: configPath, environment: ["TRIAGE_ADMIN_TOKEN": "t0k"]) { base in
                let auth = [(name: "Authorization", value: "Bearer t0k"), (name: "Content-Type", value: "application/json")]
                var n = 0
                func call(_ method: String, _ path: String, _ body: String? = nil, headers: [(name: String, value: String)]? = nil) async throws {
                    let r = try await client.execute(HTTPClientRequest(method: method, url: base + path, headers: headers ?? auth, body: body.map { Array($0.utf8) } ?? []))
                    n += 1
                    let text = "\(method) \(path)\n\(r.status)\n\(r.headers)\n" + String(decoding: r.body.prefix(6000), as: UTF8.self)
                    try text.write(toFile: "\(out)/\(String(format: "%02d", n)).txt", atomically: true, encoding: .utf8)
                }
                let id = try #require(try await postAlert(base).accepted.incidents.first?.id)
                _ = try await waitFor(base, id, token: "t0k") { $0.deliveries.first?.status == "delivered" }
                try await call("GET", "/api/incidents/\(id)")
                try await call("GET", "/api/incidents?limit=1")
                try await call("GET", "/api/outbox")
                try await call("GET", "/api/sla/at-risk?within=5h")
                try await call("POST", "/api/incidents/\(id)/pause", #"{"reason":"x"}"#)
                try await call("POST", "/api/incidents/\(id)/resume", #"{"reason":"x"}"#)
                try await call("POST", "/api/incidents/\(id)/events", #"{"action":"acknowledge","actor":"me"}"#)
                try await call("POST", "/api/incidents/\(id)/events", #"{"action":"acknowledge","event_id":"e1"}"#)
                try await call("POST", "/api/incidents/\(id)/events", #"{"action":"acknowledge","event_id":"e1"}"#)
                try await call("POST", "/api/incidents/\(id)/reassign", #"{"vendor":"globex-infra","reason":"x"}"#)
                try await call("POST", "/api/outbox/\(id)-1/drop", #"{"reason":"x"}"#)
                try await call("POST", "/api/outbox/\(id)-1/retry")
                try await call("POST", "/api/vendors/acme-dba/disable", #"{"reason":"x"}"#)
                try await call("POST", "/api/vendors/acme-dba/enable")
                try await call("GET", "/api/audit?limit=3")
                try await call("POST", "/admin/reload")
                try await call("GET", "/healthz")
                try await call("GET", "/readyz")
                try await call("GET", "/metrics")
                try await call("GET", "/")
                try await call("POST", "/api/v2/alerts", #"[{"labels":{"alertname":"X"}}]"#)
                try await call("POST", "/v2/enqueue", #"{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"critical"}}"#)
                try await call("GET", "/api/incidents/\(id)", headers: [])
                try await call("POST", "/api/incidents/\(id)/reassign", #"{"vendor":"globex-infra","reason":" "}"#)
                try await call("POST", "/api/outbox/nope/drop", "")
                try await call("POST", "/api/incidents/\(id)/events", #"{"action":"acknowledge"}"#, headers: [(name: "X-Triage-Vendor", value: "acme-dba")])
            }
        }
    }

    @Test func zzOpenAPIScratchDump2() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = "/tmp/oa/dump2"
        try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let configuration = try ConfigLoader.load(directory: Fixtures.rulesDirectory)
        let store = try SQLiteStore(path: directory.path("triage.sqlite"))
        try await withServer(configuration, store: store, reloadFrom: Fixtures.rulesDirectory) { base in
            let json = [(name: "Content-Type", value: "application/json")]
            var n = 0
            func call(_ method: String, _ path: String, _ body: [UInt8] = []) async throws -> String {
                let r = try await client.execute(HTTPClientRequest(method: method, url: base + path, headers: json, body: body))
                n += 1
                let text = String(decoding: r.body, as: UTF8.self)
                try "\(method) \(path)\n\(r.status)\n\(r.headers)\n\(text)".write(toFile: "\(out)/\(String(format: "%02d", n)).txt", atomically: true, encoding: .utf8)
                return text
            }
            var ids: [String] = []
            for payload in ["generic-login.json", "alertmanager-firing.json"] {
                let text = try await call("POST", payload.hasPrefix("generic") ? "/webhooks/generic" : "/webhooks/alertmanager", try Fixtures.bytes("payloads/" + payload))
                let accepted = try JSONDecoder().decode(AcceptedView.self, from: Data(text.utf8))
                ids += accepted.incidents.map(\.id)
            }
            try await Task.sleep(for: .seconds(3))
            for id in ids { _ = try await call("GET", "/api/incidents/\(id)") }
            _ = try await call("GET", "/api/outbox")
            _ = try await call("GET", "/api/incidents")
            _ = try await call("GET", "/api/sla/at-risk?within=30d")
        }
    }
}
