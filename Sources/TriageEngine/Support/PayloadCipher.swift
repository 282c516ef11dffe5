import Crypto
import Foundation

/// Encrypts raw webhook bodies at rest with AES-256-GCM, keys from the environment.
///
/// `TRIAGE_PAYLOAD_KEYS=ID:BASE64[,ID:BASE64…]` lists 32-byte keys; the first encrypts, every one
/// decrypts, so a key is rotated by putting a new one first, running `triage payload-keys rotate`
/// (which re-encrypts what the older keys sealed), then removing the old one. A sealed body is
/// `0x00 "TRG" 0x01`, the key id's length and bytes, then nonce, ciphertext and tag; JSON never
/// starts with a NUL byte, so bodies stored before encryption was turned on stay readable as they are.
/// The key id is authenticated data: a body cannot be passed off as sealed by another key.
public struct PayloadCipher: Sendable {
    /// The environment variable holding the keys.
    public static let variable = "TRIAGE_PAYLOAD_KEYS"
    static let magic: [UInt8] = [0x00, 0x54, 0x52, 0x47, 0x01]
    /// Rejected bodies are kept as text: sealed ones are this prefix and the base64 of the sealed bytes.
    public static let textPrefix = "triage-sealed:"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    let keys: [(id: String, key: SymmetricKey)]

    /// The id of the key that seals.
    public var currentKeyID: String { keys[0].id }

    /// A cipher with `keys`, the first sealing; ids are 1–64 characters of `A-Za-z0-9._-`, keys 32 bytes.
    public init(keys: [(id: String, key: [UInt8])]) throws(Failure) {
        guard !keys.isEmpty else { throw Failure(description: "no key given") }
        var seen: Set<String> = []
        for (position, entry) in keys.enumerated() {
            guard (1...64).contains(entry.id.utf8.count), entry.id.utf8.allSatisfy(Self.isIDByte) else {
                throw Failure(description: "key \(position + 1): the id must be 1-64 characters of A-Z a-z 0-9 . _ -")
            }
            guard entry.key.count == 32 else {
                throw Failure(description: "key \(position + 1) ('\(entry.id)'): must be 32 bytes (base64 of 32 random bytes), got \(entry.key.count)")
            }
            guard seen.insert(entry.id).inserted else { throw Failure(description: "key id '\(entry.id)' is listed twice") }
        }
        self.keys = keys.map { ($0.id, SymmetricKey(data: $0.key)) }
    }

    /// The cipher `environment` asks for, `nil` when the variable is unset or empty. Errors name the
    /// variable and the entry, never a key.
    public static func fromEnvironment(_ environment: [String: String]) throws(Failure) -> PayloadCipher? {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        var keys: [(id: String, key: [UInt8])] = []
        for (position, entry) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let bytes = Data(base64Encoded: String(parts[1])) else {
                throw Failure(description: "\(variable): entry \(position + 1) is not ID:BASE64")
            }
            keys.append((String(parts[0]), Array(bytes)))
        }
        do {
            return try PayloadCipher(keys: keys)
        } catch {
            throw Failure(description: "\(variable): \(error.description)")
        }
    }

    static func isIDByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2E
            || byte == 0x5F || byte == 0x2D
    }

    /// Whether `bytes` were sealed by a cipher (with any key).
    public static func isSealed(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// The key id a sealed body names, `nil` for a plain one.
    public static func keyID(of bytes: [UInt8]) -> String? {
        guard isSealed(bytes), bytes.count > magic.count else { return nil }
        let length = Int(bytes[magic.count])
        guard bytes.count >= magic.count + 1 + length else { return nil }
        return String(decoding: bytes[(magic.count + 1)..<(magic.count + 1 + length)], as: UTF8.self)
    }

    /// `plain` sealed with the current key.
    public func seal(_ plain: [UInt8]) throws -> [UInt8] {
        let id = Array(keys[0].id.utf8)
        let header = Self.magic + [UInt8(id.count)] + id
        let box = try AES.GCM.seal(plain, using: keys[0].key, authenticating: header)
        guard let combined = box.combined else { throw Failure(description: "AES-GCM gave no combined form") }
        return header + Array(combined)
    }

    /// The plain bytes of `stored`: opened when sealed, as they are when plain.
    public func open(_ stored: [UInt8]) throws(Failure) -> [UInt8] {
        guard Self.isSealed(stored) else { return stored }
        guard let id = Self.keyID(of: stored) else { throw Failure(description: "a sealed body is truncated") }
        guard let key = keys.first(where: { $0.id == id })?.key else {
            throw Failure(description: "a body is sealed with key '\(id)', which \(Self.variable) does not list")
        }
        let headerLength = Self.magic.count + 1 + id.utf8.count
        do {
            let box = try AES.GCM.SealedBox(combined: stored[headerLength...])
            return Array(try AES.GCM.open(box, using: key, authenticating: stored[..<headerLength]))
        } catch {
            throw Failure(description: "a body sealed with key '\(id)' does not open: it was altered or the key is wrong")
        }
    }

    /// Text (a kept rejected body) sealed: ``textPrefix`` and base64.
    public func sealText(_ text: String) throws -> String {
        Self.textPrefix + Data(try seal(Array(text.utf8))).base64EncodedString()
    }

    /// The plain text of a kept rejected body, opened when sealed.
    public func openText(_ stored: String) throws(Failure) -> String {
        guard stored.hasPrefix(Self.textPrefix) else { return stored }
        guard let bytes = Data(base64Encoded: String(stored.dropFirst(Self.textPrefix.count))) else {
            throw Failure(description: "a sealed text is not base64")
        }
        return String(decoding: try open(Array(bytes)), as: UTF8.self)
    }

    /// A stored body as archive text: plain bodies as UTF-8 text, sealed ones as ``textPrefix`` and
    /// base64 (so an export carries them intact even without the key).
    public static func archiveText(_ stored: [UInt8]) -> String {
        isSealed(stored) ? textPrefix + Data(stored).base64EncodedString() : String(decoding: stored, as: UTF8.self)
    }

    /// The stored form of archive text (the inverse of ``archiveText(_:)``).
    public static func storedBytes(fromArchiveText text: String) -> [UInt8] {
        if text.hasPrefix(textPrefix), let bytes = Data(base64Encoded: String(text.dropFirst(textPrefix.count))),
            isSealed(Array(bytes))
        {
            return Array(bytes)
        }
        return Array(text.utf8)
    }
}
