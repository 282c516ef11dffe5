import Crypto
import Foundation
import Testing
import TriageCurl
import TriageHTTP
import TriageTesting

/// The whole pipeline run with known secret values: none of them may show in a log line, an
/// error body, an API answer, a metric, a CLI output, an export, a dry-run report, what a vendor
/// receives (besides the header meant to carry it), or (for credentials sent in headers) the store.
struct SecretsNeverLeakTests {
    let client = CurlHTTPClient()

    static let admin = "S3CR3T-admin-7f1c"
    static let bearer = "S3CR3T-bearer-am-2b9d"
    static let hmac = "S3CR3T-hmac-gh-5e3a"
    static let basic = "S3CR3T-basic-sn-8c4f"
    static let vendorHeader = "Bearer S3CR3T-vendor-header-1d7e"
    static let signing = "S3CR3T-signing-9a2b"
    static let callback = "S3CR3T-callback-4f6c"
    /// Wrong credentials presented by callers: not to be echoed or logged either.
    static let presented = [
        "S3CR3T-wrong-bearer-11aa", "S3CR3T-wrong-hmac-22bb", "S3CR3T-wrong-basic-33cc", "S3CR3T-wrong-admin-44dd",
        "S3CR3T-wrong-callback-55ee",
    ]

    static let environment = [
        "TRIAGE_ADMIN_TOKEN": admin, "TRIAGE_ALERTMANAGER_TOKEN": bearer, "TRIAGE_GITHUB_SECRET": hmac,
        "TRIAGE_SERVICENOW_PASSWORD": basic, "VENDOR_AUTH_HEADER": vendorHeader, "VENDOR_SIGNING_SECRET": signing,
        "ACME_CALLBACK_TOKEN": callback,
    ]

    static func vendors(_ endpoint: String) -> String {
        let auth = "headers_env: {Authorization: VENDOR_AUTH_HEADER}\n    signing_secret_env: VENDOR_SIGNING_SECRET"
        return """
            default_vendor: initech-apps
            delivery: { max_attempts: 5, initial_backoff: 200ms, max_backoff: 1s, connect_timeout: 2s, timeout: 5s }
            vendors:
              - name: acme-dba
                endpoint: \(endpoint)/acme
                skills: [database]
                \(auth)
                callback: {token_env: ACME_CALLBACK_TOKEN}
                sla:
                  P1: { acknowledge: 15m, resolve: 4h }
              - name: globex-infra
                endpoint: \(endpoint)/globex
                skills: [network, infrastructure, storage]
                \(auth)
              - name: initech-apps
                endpoint: \(endpoint)/initech
                skills: [application, access]
                \(auth)
            """
    }

    static func hex(_ secret: String, _ bytes: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func basicHeader(_ password: String) -> String {
        "Basic " + Data("servicenow:\(password)".utf8).base64EncodedString()
    }

    @Test func noSecretShowsAnywhereOutside() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let check = LeakCheck(
            [("admin token", Self.admin), ("source bearer", Self.bearer), ("source hmac", Self.hmac),
             ("source basic password", Self.basic), ("vendor header", Self.vendorHeader), ("vendor signing", Self.signing),
             ("vendor callback", Self.callback)]
                + Self.presented.map { ("presented \($0)", $0) },
            extraForms: [
                ("basic credentials (base64)", String(Self.basicHeader(Self.basic).dropFirst(6))),
                ("wrong basic credentials (base64)", String(Self.basicHeader(Self.presented[2]).dropFirst(6))),
                ("vendor header token", "S3CR3T-vendor-header-1d7e"),
            ])
        let sink = VendorSink(failFirst: 1)
        let config = directory.path("rules")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        for name in ["sources.yaml", "rules.yaml", "history"] {
            try FileManager.default.copyItem(
                atPath: Fixtures.rulesDirectory + "/" + name, toPath: config + "/" + name)
        }
        let db = directory.path("triage.sqlite")
        let store = "sqlite:" + db
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            try Self.vendors("http://127.0.0.1:\(sinkPort)").write(toFile: config + "/vendors.yaml", atomically: true, encoding: .utf8)
            let serve = try TriageProcess(
                ["serve", "--config", config, "--store", store, "--port", "0", "--log-level", "trace", "--log-format", "json"],
                environment: Self.environment)
            let port = try await serve.listeningPort()
            try await exercise(base: "http://127.0.0.1:\(port)", sink: sink, check: check)
            serve.send(SIGTERM)
            let status = try await serve.waitForExit()
            #expect(status == 0)
            check.add("serve stdout", serve.standardOutput)
            check.add("serve stderr", serve.standardError)
            #expect(serve.standardError.contains("\"level\":\"trace\""), "trace logging was not on")
            for (index, received) in sink.received.enumerated() {
                // The one header meant to carry a secret to the vendor: there, and nowhere else.
                #expect(received.headers["authorization"] == Self.vendorHeader)
                let others = received.headers.filter { $0.key != "authorization" }
                    .map { "\($0.key): \($0.value)" }.sorted().joined(separator: "\n")
                check.add("vendor request \(index) \(received.method) \(received.path)", others + "\n\n" + received.bodyText)
            }
            #expect(sink.received.count >= 2, "the failed delivery was not retried")
            #expect(sink.received.contains { $0.headers.keys.contains { $0.contains("signature") } }, "deliveries were not signed")
        }
        try await runCommands(config: config, store: store, directory: directory, check: check)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            check.add("sqlite file triage.sqlite\(suffix)", Array(try Data(contentsOf: URL(fileURLWithPath: db + suffix))))
        }

        let leaks = check.leaks()
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
        let summary = check.summary
        print("SecretsNeverLeakTests: checked \(summary.items) outputs, \(summary.bytes) bytes, \(summary.lines) lines; leaks: \(leaks.count)")
    }

    /// The CLI on the store and configuration the service used, with the same environment.
    func runCommands(config: String, store: String, directory: TemporaryDirectory, check: LeakCheck) async throws {
        let exportFile = directory.path("export.jsonl")
        let commands: [[String]] = [
            ["export", "--store", store, "--output", exportFile],
            ["export", "--store", store],
            ["outbox", "list", "--store", store],
            ["rejected", "list", "--store", store, "--body"],
            ["dry-run", "--config", config, "--now", "2026-11-27T16:40:00Z", "--text", "summary,details", "--time", "opened",
             "--id", "id", "--label", "group", Fixtures.projectRoot.appendingPathComponent("fixtures/dry-run/history.csv").path,
             Fixtures.projectRoot.appendingPathComponent("fixtures/payloads/alertmanager-firing.json").path],
            ["dry-run", "--config", config, "--now", "2026-11-27T16:40:00Z", "--format", "json",
             Fixtures.projectRoot.appendingPathComponent("fixtures/payloads/alertmanager-firing.json").path],
            ["rules", "check", "--config", config],
        ]
        for arguments in commands {
            let process = try TriageProcess(arguments, environment: Self.environment)
            let status = try await process.waitForExit()
            #expect(status == 0, "triage \(arguments.joined(separator: " ")): \(process.standardError)")
            check.add("triage \(arguments.prefix(2).joined(separator: " ")) stdout", process.standardOutput)
            check.add("triage \(arguments.prefix(2).joined(separator: " ")) stderr", process.standardError)
        }
        let exported = try Data(contentsOf: URL(fileURLWithPath: exportFile))
        #expect(!exported.isEmpty)
        check.add("export file", Array(exported))
    }
}

extension SecretsNeverLeakTests {
    /// Webhooks with right and wrong credentials, the admin API, the dashboard, a vendor callback,
    /// metrics and the OpenAPI document; every answer (headers and body) goes to `check`.
    func exercise(base: String, sink: VendorSink, check: LeakCheck) async throws {
        let json = ("Content-Type", "application/json")
        let admin = ("Authorization", "Bearer " + Self.admin)
        let wrongAdmin = ("Authorization", "Bearer " + Self.presented[3])
        @discardableResult
        func call(
            _ method: String, _ path: String, _ headers: [(name: String, value: String)] = [], body: [UInt8] = []
        ) async throws -> HTTPClientResponse {
            let response = try await client.execute(
                HTTPClientRequest(method: method, url: base + path, headers: headers, body: body))
            let head = response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            check.add("\(method) \(path.prefix(40)) → \(response.status)", head + "\n\n" + String(decoding: response.body, as: UTF8.self))
            return response
        }

        // Webhooks: a valid bearer, a wrong one, none; an authenticated malformed body (kept as rejected).
        let alert = try Fixtures.bytes("payloads/alertmanager-firing.json")
        let accepted = try await call("POST", "/webhooks/alertmanager", [json, ("Authorization", "Bearer " + Self.bearer)], body: alert)
        #expect(accepted.status == 202, "\(String(decoding: accepted.body, as: UTF8.self))")
        let object = try JSONSerialization.jsonObject(with: Data(accepted.body)) as? [String: Any]
        let id = try #require((object?["incidents"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try await call("POST", "/webhooks/alertmanager", [json, ("Authorization", "Bearer " + Self.presented[0])], body: alert).status == 401)
        #expect(try await call("POST", "/webhooks/alertmanager", [json], body: alert).status == 401)
        #expect(try await call("POST", "/api/v2/alerts", [json, ("Authorization", "Bearer " + Self.presented[0])], body: Array("[]".utf8)).status == 401)
        let malformed = try await call(
            "POST", "/webhooks/alertmanager", [json, ("Authorization", "Bearer " + Self.bearer)], body: Array(#"{"alerts": 7}"#.utf8))
        #expect((400..<500).contains(malformed.status))

        // HMAC (GitHub): valid, then a signature made with a wrong secret and a malformed one.
        let issue = try Fixtures.bytes("payloads/github/opened.json")
        func github(_ signature: String, delivery: String) async throws -> Int {
            try await call(
                "POST", "/webhooks/github",
                [json, ("X-GitHub-Event", "issues"), ("X-GitHub-Delivery", delivery), ("X-Hub-Signature-256", signature)],
                body: issue
            ).status
        }
        #expect(try await github("sha256=" + Self.hex(Self.hmac, issue), delivery: "leak-1") == 202)
        #expect(try await github("sha256=" + Self.hex(Self.presented[1], issue), delivery: "leak-2") == 401)
        #expect(try await github(Self.presented[1], delivery: "leak-3") == 401)

        // Basic (ServiceNow): valid and wrong password.
        let record = try Fixtures.bytes("payloads/servicenow/record.json")
        #expect(try await call("POST", "/webhooks/servicenow", [json, ("Authorization", Self.basicHeader(Self.basic))], body: record).status == 202)
        #expect(try await call("POST", "/webhooks/servicenow", [json, ("Authorization", Self.basicHeader(Self.presented[2]))], body: record).status == 401)

        // The delivery to acme fails once (503), then succeeds after the retry.
        for _ in 0..<1000 where !sink.received.contains(where: { $0.path == "/acme" }) || sink.received.filter({ $0.path == "/acme" }).count < 2 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(sink.received.filter { $0.path == "/acme" }.count >= 2)

        // Admin API with the right token and a wrong one.
        for path in ["/api/outbox", "/api/incidents", "/api/incidents/\(id)", "/api/audit", "/api/sla/at-risk"] {
            #expect(try await call("GET", path, [admin]).status == 200, "\(path)")
            #expect(try await call("GET", path, [wrongAdmin]).status == 401, "\(path)")
        }
        #expect(try await call("GET", "/?token=" + Self.admin).status == 200)
        #expect(try await call("GET", "/?token=" + Self.presented[3]).status == 401)
        #expect(try await call("GET", "/", [admin]).status == 200)

        // The vendor's callback: its token, then a wrong one.
        let vendor = ("X-Triage-Vendor", "acme-dba")
        let ack = Array(#"{"event_id": "leak-ack", "action": "acknowledge"}"#.utf8)
        #expect(try await call("POST", "/api/incidents/\(id)/events", [json, vendor, ("Authorization", "Bearer " + Self.callback)], body: ack).status == 200)
        let comment = Array(#"{"event_id": "leak-c", "action": "comment", "comment": "x"}"#.utf8)
        #expect(try await call("POST", "/api/incidents/\(id)/events", [json, vendor, ("Authorization", "Bearer " + Self.presented[4])], body: comment).status == 401)

        // Everything that changed since, as an operator sees it; metrics and the API description.
        #expect(try await call("GET", "/api/incidents/\(id)", [admin]).status == 200)
        #expect(try await call("GET", "/api/audit", [admin]).status == 200)
        #expect(try await call("GET", "/api/outbox", [admin]).status == 200)
        #expect(try await call("GET", "/metrics").status == 200)
        try await call("GET", "/metrics", [admin])
        #expect(try await call("GET", "/openapi.json").status == 200)
        try await call("GET", "/healthz")
        try await call("GET", "/readyz")
    }
}
