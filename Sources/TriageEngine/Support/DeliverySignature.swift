import Crypto
import Foundation

/// Signs deliveries so vendors can check they came from us and were not replayed.
///
/// `X-Triage-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with the Unix
/// timestamp in `X-Triage-Timestamp`; the scheme Stripe and Slack use, so vendors know it.
public enum DeliverySignature {
    public static let signatureHeader = "X-Triage-Signature"
    public static let timestampHeader = "X-Triage-Timestamp"

    /// The two headers for `body` signed with `secret` at `timestamp` (seconds since 1970).
    public static func headers(secret: String, body: [UInt8], timestamp: Int) -> [(name: String, value: String)] {
        [
            (timestampHeader, String(timestamp)),
            (signatureHeader, "sha256=" + sign(secret: secret, body: body, timestamp: timestamp)),
        ]
    }

    /// The hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    public static func sign(secret: String, body: [UInt8], timestamp: Int) -> String {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
        hmac.update(data: Data("\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
