import Crypto
import Foundation
import HTTPTypes
import TriageCore

/// Checks that a request comes from the configured sender of a source.
///
/// Secrets are read once from the environment at start-up and never logged or echoed. A source
/// with no secret (auth `none`, or its variable unset or empty) accepts loopback peers only.
struct SourceAuthenticator: Sendable {
    let secrets: [String: String]

    init(sources: [SourceDefinition], environment: [String: String]) {
        var secrets: [String: String] = [:]
        for source in sources {
            if let variable = source.auth.secretEnv, let secret = environment[variable], !secret.isEmpty {
                secrets[source.name] = secret
            }
        }
        self.secrets = secrets
    }

    func hasSecret(_ source: SourceDefinition) -> Bool { secrets[source.name] != nil }

    /// Throws a 401 (wrong or missing credentials), 403 (no secret and not loopback) or 422 (routing key
    /// in a body that is not JSON) error; returns when the sender is who it should be.
    func check(
        _ source: SourceDefinition, headers: HTTPFields, body: [UInt8], fromLoopback: Bool, now: Date
    ) throws(APIError) {
        guard let secret = secrets[source.name] else {
            guard fromLoopback else {
                throw APIError(
                    .forbidden,
                    "source '\(source.name)' has no credentials configured; only loopback senders are accepted")
            }
            return
        }
        switch source.auth {
        case .none:
            return
        case .bearer:
            let presented: String? =
                if let auth = headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
                    String(auth.dropFirst(7))
                } else {
                    headers[HTTPField.Name("X-Triage-Token")!]
                }
            guard let presented else { throw unauthorized(source, "missing bearer token") }
            guard Self.constantTimeEquals(Array(presented.utf8), Array(secret.utf8)) else {
                throw unauthorized(source, "wrong bearer token")
            }
        case .basic(let username, _):
            guard let auth = headers[.authorization], auth.lowercased().hasPrefix("basic "),
                let decoded = Data(base64Encoded: String(auth.dropFirst(6)).trimmingCharacters(in: .whitespaces))
            else { throw unauthorized(source, "missing basic credentials") }
            let expected = Array("\(username):\(secret)".utf8)
            guard Self.constantTimeEquals(Array(decoded), expected) else {
                throw unauthorized(source, "wrong user name or password")
            }
        case .routingKey:
            guard case .object(let members)? = try? JSONValue.parse(body), case .string(let key)? = members["routing_key"]
            else { throw unauthorized(source, "missing routing_key") }
            guard Self.constantTimeEquals(Array(key.utf8), Array(secret.utf8)) else {
                throw unauthorized(source, "wrong routing_key")
            }
        case .hmac(let scheme):
            try checkSignature(scheme, source: source, secret: secret, headers: headers, body: body, now: now)
        }
    }

    func checkSignature(
        _ scheme: HMACScheme, source: SourceDefinition, secret: String, headers: HTTPFields, body: [UInt8], now: Date
    ) throws(APIError) {
        guard let headerName = HTTPField.Name(scheme.header), let value = headers[headerName] else {
            throw unauthorized(source, "missing signature header \(scheme.header)")
        }
        var timestamp: String?
        if let timestampHeader = scheme.timestampHeader {
            guard let name = HTTPField.Name(timestampHeader), let sent = headers[name] else {
                throw unauthorized(source, "missing timestamp header \(timestampHeader)")
            }
            guard scheme.isFresh(timestamp: sent, now: now) else {
                throw unauthorized(
                    source, "signature timestamp is outside the \(Int(scheme.tolerance))s replay window")
            }
            timestamp = sent
        }
        guard value.hasPrefix(scheme.prefix) else {
            throw unauthorized(source, "signature header must start with '\(scheme.prefix)'")
        }
        let presented = String(value.dropFirst(scheme.prefix.count)).trimmingCharacters(in: .whitespaces)
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = Array(HMAC<SHA256>.authenticationCode(for: scheme.signedBytes(body: body, timestamp: timestamp), using: key))
        let expected: [UInt8] =
            switch scheme.encoding {
            case .hex: Array(mac.map { String(format: "%02x", $0) }.joined().utf8)
            case .base64: Array(Data(mac).base64EncodedString().utf8)
            }
        let normalised = scheme.encoding == .hex ? presented.lowercased() : presented
        guard Self.constantTimeEquals(Array(normalised.utf8), expected) else {
            throw unauthorized(source, "signature does not match the body")
        }
    }

    func unauthorized(_ source: SourceDefinition, _ why: String) -> APIError {
        APIError(.unauthorized, "\(why) for source '\(source.name)'", headers: [.wwwAuthenticate: challenge(source)])
    }

    func challenge(_ source: SourceDefinition) -> String {
        switch source.auth {
        case .basic: "Basic realm=\"triage\""
        case .bearer: "Bearer realm=\"triage\""
        default: "Signature realm=\"triage\""
        }
    }

    /// Compares digests of both sides, so neither length nor content leaks through timing.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let left = SHA256.hash(data: a)
        let right = SHA256.hash(data: b)
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
