import Crypto
import Foundation
import HTTPTypes
import Testing
import TriageCore

@testable import TriageHTTP

/// Each authentication scheme: right, wrong, missing; timestamps inside and outside the window.
struct SourceAuthenticatorTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let body = Array(#"{"action":"opened"}"#.utf8)

    func hexHMAC(_ secret: String, _ bytes: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    func check(_ source: SourceDefinition, _ env: [String: String], _ headers: HTTPFields, body: [UInt8]? = nil,
               loopback: Bool = false) -> APIError?
    {
        let authenticator = SourceAuthenticator(sources: [source], environment: env)
        do {
            try authenticator.check(source, headers: headers, body: body ?? self.body, fromLoopback: loopback, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func noSecretMeansLoopbackOnly() {
        let source = SourceDefinition(name: "s", kind: .generic, auth: .bearer(secretEnv: "S_TOKEN"))
        #expect(check(source, [:], [:], loopback: true) == nil)
        let refused = check(source, [:], [:], loopback: false)
        #expect(refused?.status == .forbidden)
        #expect(refused?.message == "source 's' has no credentials configured; only loopback senders are accepted")
    }

    @Test func bearerToken() {
        let source = SourceDefinition(name: "s", kind: .generic, auth: .bearer(secretEnv: "S_TOKEN"))
        let env = ["S_TOKEN": "tok-123"]
        #expect(check(source, env, [.authorization: "Bearer tok-123"]) == nil)
        #expect(check(source, env, [HTTPField.Name("X-Triage-Token")!: "tok-123"]) == nil)
        #expect(check(source, env, [.authorization: "Bearer tok-124"])?.message == "wrong bearer token for source 's'")
        #expect(check(source, env, [:], loopback: true)?.message == "missing bearer token for source 's'")
        #expect(check(source, env, [.authorization: "Basic tok-123"])?.status == .unauthorized)
    }

    @Test func basicAuth() {
        let source = SourceDefinition(name: "s", kind: .alertmanager, auth: .basic(username: "prom", passwordEnv: "PW"))
        let env = ["PW": "pa:ss"]
        let good = "Basic " + Data("prom:pa:ss".utf8).base64EncodedString()
        let bad = "Basic " + Data("prom:nope".utf8).base64EncodedString()
        #expect(check(source, env, [.authorization: good]) == nil)
        #expect(check(source, env, [.authorization: bad])?.message == "wrong user name or password for source 's'")
        #expect(check(source, env, [:])?.message == "missing basic credentials for source 's'")
        #expect(check(source, env, [.authorization: bad])?.headers[.wwwAuthenticate] == "Basic realm=\"triage\"")
    }

    @Test func githubStyleSignature() {
        let source = SourceDefinition(name: "gh", kind: .generic, auth: .hmac(HMACScheme(secretEnv: "GH")))
        let env = ["GH": "It's a Secret to Everybody"]
        let name = HTTPField.Name("X-Hub-Signature-256")!
        let signature = "sha256=" + hexHMAC("It's a Secret to Everybody", body)
        #expect(check(source, env, [name: signature]) == nil)
        #expect(check(source, env, [name: signature.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256=")]) == nil)
        #expect(check(source, env, [name: signature], body: body + [0x20])?.message == "signature does not match the body for source 'gh'")
        #expect(check(source, env, [:])?.message == "missing signature header X-Hub-Signature-256 for source 'gh'")
        #expect(check(source, env, [name: "sha1=abc"])?.message == "signature header must start with 'sha256=' for source 'gh'")
    }

    @Test func knownGitHubVector() {
        // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
        let expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(hexHMAC("It's a Secret to Everybody", Array("Hello, World!".utf8)) == expected)
        let source = SourceDefinition(name: "gh", kind: .generic, auth: .hmac(HMACScheme(secretEnv: "GH")))
        #expect(
            check(
                source, ["GH": "It's a Secret to Everybody"], [HTTPField.Name("X-Hub-Signature-256")!: "sha256=\(expected)"],
                body: Array("Hello, World!".utf8)) == nil)
    }

    @Test func timestampedSignatureAndReplayWindow() {
        let scheme = HMACScheme(
            secretEnv: "GF", header: "X-Grafana-Alerting-Signature", prefix: "",
            timestampHeader: "X-Grafana-Alerting-Timestamp", tolerance: 300)
        let source = SourceDefinition(name: "grafana", kind: .grafana, auth: .hmac(scheme))
        let env = ["GF": "grafana-secret"]
        let signatureHeader = HTTPField.Name("X-Grafana-Alerting-Signature")!
        let timestampHeader = HTTPField.Name("X-Grafana-Alerting-Timestamp")!
        func headers(at time: Date) -> HTTPFields {
            let ts = String(Int(time.timeIntervalSince1970))
            return [signatureHeader: hexHMAC("grafana-secret", Array("\(ts):".utf8) + body), timestampHeader: ts]
        }
        #expect(check(source, env, headers(at: now)) == nil)
        #expect(check(source, env, headers(at: now.addingTimeInterval(-299))) == nil)
        let expired = check(source, env, headers(at: now.addingTimeInterval(-301)))
        #expect(expired?.message == "signature timestamp is outside the 300s replay window for source 'grafana'")
        #expect(check(source, env, headers(at: now.addingTimeInterval(400)))?.status == .unauthorized)
        // The timestamp is signed: changing it breaks the signature even inside the window.
        var moved = headers(at: now)
        moved[timestampHeader] = String(Int(now.timeIntervalSince1970) - 10)
        #expect(check(source, env, moved)?.message == "signature does not match the body for source 'grafana'")
        var noTimestamp = headers(at: now)
        noTimestamp[timestampHeader] = nil
        #expect(check(source, env, noTimestamp)?.message == "missing timestamp header X-Grafana-Alerting-Timestamp for source 'grafana'")
    }

    @Test func base64Signature() {
        let scheme = HMACScheme(secretEnv: "K", header: "X-Signature", prefix: "", encoding: .base64)
        let source = SourceDefinition(name: "b", kind: .generic, auth: .hmac(scheme))
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data("k".utf8)))
        #expect(check(source, ["K": "k"], [HTTPField.Name("X-Signature")!: Data(mac).base64EncodedString()]) == nil)
        #expect(check(source, ["K": "k"], [HTTPField.Name("X-Signature")!: "AAAA"])?.status == .unauthorized)
    }

    @Test func routingKeyInTheBody() {
        let source = SourceDefinition(name: "pd", kind: .pagerdutyEvents, auth: .routingKey(secretEnv: "RK"))
        let env = ["RK": "R0UTE"]
        #expect(check(source, env, [:], body: Array(#"{"routing_key":"R0UTE"}"#.utf8)) == nil)
        #expect(check(source, env, [:], body: Array(#"{"routing_key":"other"}"#.utf8))?.message == "wrong routing_key for source 'pd'")
        #expect(check(source, env, [:], body: Array(#"{"event_action":"trigger"}"#.utf8))?.message == "missing routing_key for source 'pd'")
        #expect(check(source, env, [:], body: Array("not json".utf8))?.status == .unauthorized)
    }
}
