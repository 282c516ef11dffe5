import Crypto
import Foundation
import Testing
import TriageCurl
import TriageHTTP
import TriageTesting

/// A webhook with planted personal data goes through the real `triage serve` to a vendor endpoint:
/// the bytes the vendor receives hold none of it, the stored incident (read through the admin API)
/// still has all of it, and the decision lists the rules that fired, never the values.
struct RedactedDispatchTests {
    static let admin = "redaction-admin-token-5d1e"
    static let key = "redaction-hmac-key-0f9e8d7c6b5a4321"

    /// Each planted value and the other spellings it must not travel in either.
    static let planted: [(String, [String])] = [
        ("jane.doe@example.com", []), ("+33 6 12 34 56 78", ["33612345678"]),
        ("DE89 3704 0044 0532 0130 00", ["DE89370400440532013000", "0532 0130"]),
        ("4111 1111 1111 1111", ["4111111111111111", "1111 1111 1111"]), ("203.0.113.77", []),
        ("eyJhbGciOiJIUzI1NiJ9.payload.s1gnature", ["eyJhbGciOiJIUzI1NiJ9"]), ("bob@example.org", []),
    ]

    static func vendors(_ endpoint: String) -> String {
        """
        default_vendor: acme
        delivery: { max_attempts: 5, initial_backoff: 200ms, max_backoff: 1s, connect_timeout: 2s, timeout: 5s }
        redaction:
          key_env: TRIAGE_REDACTION_KEY
          profiles:
            standard:
              rules: [phone, iban, card, ipv4, ipv6, secret, {rule: email, mode: hash}]
              mode: mask
              drop_fields: [labels.customer_email]
        vendors:
          - name: acme
            endpoint: \(endpoint)/acme
            skills: [access]
            redaction: standard
            fields: [title, description, severity, service, labels.env, labels.customer_email, explanation]
        """
    }

    static let webhook = """
        {"title": "Login failures for jane.doe@example.com",
         "description": "Customer called from +33 6 12 34 56 78 about IBAN DE89 3704 0044 0532 0130 00 and card 4111 1111 1111 1111; requests came from 203.0.113.77 with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.s1gnature",
         "severity": "error", "service": "sso", "dedup_key": "redaction-1",
         "labels": {"env": "prod", "customer_email": "bob@example.org", "owner": "kim"}}
        """

    @Test func dispatchCarriesNoPlantedDataWhileTheStoreKeepsItAll() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.path("rules")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try "sources:\n  - {name: generic, kind: generic}\n".write(toFile: config + "/sources.yaml", atomically: true, encoding: .utf8)
        try """
            rules:
              - name: logins
                when: {text: {contains_any: [login]}}
                then: {category: access, priority: P3}
            """.write(toFile: config + "/rules.yaml", atomically: true, encoding: .utf8)
        let sink = VendorSink()
        let client = CurlHTTPClient()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            try Self.vendors("http://127.0.0.1:\(sinkPort)").write(toFile: config + "/vendors.yaml", atomically: true, encoding: .utf8)
            let serve = try TriageProcess(
                ["serve", "--config", config, "--store", "sqlite:" + directory.path("triage.sqlite"), "--port", "0"],
                environment: ["TRIAGE_ADMIN_TOKEN": Self.admin, "TRIAGE_REDACTION_KEY": Self.key])
            defer { if serve.isRunning { serve.send(SIGKILL) } }
            let base = "http://127.0.0.1:\(try await serve.listeningPort())"
            let posted = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: base + "/webhooks/generic", headers: [("Content-Type", "application/json")],
                    body: Array(Self.webhook.utf8)))
            #expect(posted.status == 202, "\(posted.status): \(String(decoding: posted.body, as: UTF8.self))")
            for _ in 0..<2000 where sink.received.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            let received = try #require(sink.received.first, "nothing reached the vendor; stderr: \(serve.standardError)")

            // The raw bytes the vendor got: none of the planted values, in any spelling.
            let bytes = String(decoding: received.body, as: UTF8.self)
            for (value, spellings) in Self.planted {
                for form in [value] + spellings { #expect(!bytes.contains(form), "'\(form)' reached the vendor: \(bytes)") }
            }
            let message = try #require(try JSONSerialization.jsonObject(with: Data(received.body)) as? [String: Any])
            let incident = try #require(message["incident"] as? [String: Any])
            let token = "hash:" + Self.hex(Array("jane.doe@example.com".utf8)).prefix(12)
            #expect(incident["title"] as? String == "Login failures for \(token)", "the e-mail is the HMAC of the key")
            #expect(incident["labels"] as? [String: String] == ["env": "prod"], "owner is not allowed, customer_email dropped")
            #expect((incident["description"] as? String)?.contains("card ****1111") == true)
            let id = try #require(incident["id"] as? String)

            // The stored incident, through the admin API, still has everything; the decision names the rules.
            let response = try await client.execute(
                HTTPClientRequest(url: "\(base)/api/incidents/\(id)", headers: [("Authorization", "Bearer \(Self.admin)")]))
            #expect(response.status == 200)
            let stored = String(decoding: response.body, as: UTF8.self)
            for (value, _) in Self.planted { #expect(stored.contains(value), "the store lost '\(value)'") }
            let detail = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let decision = try #require(detail["decision"] as? [String: Any])
            let redactions = try #require(decision["redactions"] as? [String])
            #expect(redactions == ["card:1", "email:1", "iban:1", "ipv4:1", "phone:1", "secret:1"])
            #expect(!redactions.joined().contains("@") && !redactions.joined().contains("4111"))
            print("redaction: dispatch of \(received.body.count) bytes held none of \(Self.planted.count) planted values; "
                + "decision records \(redactions.joined(separator: ", "))")
            serve.send(SIGTERM)
            #expect(try await serve.waitForExit() == 0)
            #expect(!serve.standardError.contains(Self.key), "the hash key showed in the log")
        }
        try await exportAndDryRunRedactOnRequest(config: config, directory: directory)
    }

    /// `triage export --redact` and `triage dry-run --redact` on the same store and configuration:
    /// without the flag the planted values are there (the test can fail), with it none is.
    func exportAndDryRunRedactOnRequest(config: String, directory: TemporaryDirectory) async throws {
        let payload = directory.path("webhook.json")
        try Self.webhook.write(toFile: payload, atomically: true, encoding: .utf8)
        let store = "sqlite:" + directory.path("triage.sqlite")
        let environment = ["TRIAGE_REDACTION_KEY": Self.key]
        let dryRun = ["dry-run", "--config", config, "--source", "generic", "--format", "json", "--now", "2026-11-27T16:40:00Z", payload]
        for (arguments, what) in [(["export", "--store", store], "export"), (dryRun, "dry-run")] {
            let plain = try TriageProcess(arguments, environment: environment)
            #expect(try await plain.waitForExit() == 0, "\(what): \(plain.standardError)")
            #expect(plain.standardOutput.contains("jane.doe@example.com"), "\(what) without --redact lost the data")
            let redacted = try TriageProcess(arguments + ["--redact", "standard"] + (what == "export" ? ["--config", config] : []),
                environment: environment)
            #expect(try await redacted.waitForExit() == 0, "\(what) --redact: \(redacted.standardError)")
            let output = redacted.standardOutput
            #expect(output.contains("Login failures for hash:"), "\(what) --redact: \(output.prefix(400))")
            for (value, spellings) in Self.planted where what == "export" || value.contains("@") {
                for form in [value] + spellings { #expect(!output.contains(form), "\(what) --redact shows '\(form)'") }
            }
        }
        let unknown = try TriageProcess(dryRun + ["--redact", "nope"], environment: environment)
        #expect(try await unknown.waitForExit() != 0)
        #expect(unknown.standardError.contains("--redact 'nope': no such profile in vendors.yaml redaction.profiles (profiles: standard)"))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}
