import Crypto
import Foundation
import TriageCore

/// The keyed hash behind redaction mode `hash`: HMAC-SHA256 under the profile's key, as hex
/// (the ``Redactor`` shows the first 12 digits). The same value under the same key always gives
/// the same hash, so a vendor can correlate incidents; without the key it cannot be reversed or
/// guessed from a list of likely values.
public enum RedactionHMAC {
    /// A process-wide random key, for profiles built in code without one (the configuration
    /// requires `redaction.key_env` whenever a rule hashes): hashes are then stable only within
    /// this process, and never unkeyed.
    static let fallbackKey = SymmetricKey(size: .bits256)

    /// The keyed hash for `key` (or the process's random key when `nil`).
    public static func keyedHash(key: RedactionKey?) -> @Sendable ([UInt8]) -> String {
        let symmetric = key.map { SymmetricKey(data: $0.bytes) } ?? fallbackKey
        return { bytes in hex(HMAC<SHA256>.authenticationCode(for: bytes, using: symmetric)) }
    }

    /// Lower-case hex of `bytes`.
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
