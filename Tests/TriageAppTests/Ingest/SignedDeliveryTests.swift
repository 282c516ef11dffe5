import Crypto
import Foundation
import Testing
import TriageCurl
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// Signed webhooks over real HTTP: GitHub's scheme with delivery ids, Grafana's timestamped
/// variant, and the replay and expiry cases.
struct SignedDeliveryTests {
    static let sources = """
        sources:
          - name: github
            kind: github
            auth: {type: hmac, secret_env: GH_SECRET}
          - name: grafana
            kind: grafana
            auth:
              type: hmac
              secret_env: GRAFANA_SECRET
              header: X-Grafana-Alerting-Signature
              prefix: ""
              timestamp_header: X-Grafana-Alerting-Timestamp
              tolerance: 5m
        """
    static let environment = ["GH_SECRET": "gh-secret", "GRAFANA_SECRET": "gf-secret"]

    func hex(_ secret: String, _ bytes: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    @Test func githubSignatureAndDeliveryReplay() async throws {
        let body = try Fixtures.bytes("payloads/github/opened.json")
        try await IngestHarness.with(sources: Self.sources, environment: Self.environment) { base, store, http in
            let signed: [(name: String, value: String)] = [
                ("Content-Type", "application/json"), ("X-GitHub-Event", "issues"),
                ("X-GitHub-Delivery", "d5d1f2a0-0001"), ("X-Hub-Signature-256", "sha256=" + hex("gh-secret", body)),
            ]
            let first = try await http.post(base + "/webhooks/github", body, headers: signed)
            #expect(first.status == 202, "\(first.text)")
            // GitHub's "redeliver" (or an attacker replaying a captured request): same delivery id.
            let replay = try await http.post(base + "/webhooks/github", body, headers: signed)
            #expect(replay.status == 200)
            #expect(replay.text == #"{"incidents":[],"replayed_delivery":true}"#)
            #expect(try await store.counts()["rawPayload"] == 1)

            var wrong = signed
            wrong[3] = ("X-Hub-Signature-256", "sha256=" + hex("not-the-secret", body))
            wrong[2] = ("X-GitHub-Delivery", "d5d1f2a0-0002")
            let refused = try await http.post(base + "/webhooks/github", body, headers: wrong)
            #expect(refused.status == 401)
            #expect(try refused.decoded(ErrorBody.self).detail == "signature does not match the body for source 'github'")
            let unsigned = try await http.post(base + "/webhooks/github", body, headers: Array(signed.prefix(3)))
            #expect(unsigned.status == 401)
            #expect(try await store.counts()["incident"] == 1)
        }
    }

    @Test func grafanaTimestampedSignature() async throws {
        let body = try Fixtures.bytes("payloads/grafana/unified-firing.json")
        try await IngestHarness.with(sources: Self.sources, environment: Self.environment) { base, store, http in
            func headers(_ time: Date) -> [(name: String, value: String)] {
                let ts = String(Int(time.timeIntervalSince1970))
                return [
                    ("Content-Type", "application/json"), ("X-Grafana-Alerting-Timestamp", ts),
                    ("X-Grafana-Alerting-Signature", hex("gf-secret", Array("\(ts):".utf8) + body)),
                ]
            }
            let fresh = try await http.post(base + "/webhooks/grafana", body, headers: headers(Date()))
            #expect(fresh.status == 202, "\(fresh.text)")
            let stale = try await http.post(base + "/webhooks/grafana", body, headers: headers(Date().addingTimeInterval(-600)))
            #expect(stale.status == 401)
            #expect(
                try stale.decoded(ErrorBody.self).detail
                    == "signature timestamp is outside the 300s replay window for source 'grafana'")
            #expect(try await store.counts()["rawPayload"] == 1)
        }
    }
}
