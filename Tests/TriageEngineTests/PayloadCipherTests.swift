import Foundation
import Testing
import TriageEngine

/// AES-256-GCM at rest: round trips, refuses what was altered or sealed by an unknown key,
/// reads plain bodies as they are, and never repeats a key in an error.
struct PayloadCipherTests {
    let old = [UInt8](repeating: 7, count: 32)
    let new = (0..<32).map { UInt8($0 * 5 & 0xFF) }

    @Test func sealedBodiesOpenWithTheirKeyOnly() throws {
        let cipher = try PayloadCipher(keys: [("2026-11", new), ("2026-05", old)])
        let plain = Array(#"{"title":"disk full","email":"jane@example.com"}"#.utf8)
        let sealed = try cipher.seal(plain)
        #expect(PayloadCipher.isSealed(sealed) && !PayloadCipher.isSealed(plain))
        #expect(PayloadCipher.keyID(of: sealed) == "2026-11")
        #expect(try cipher.open(sealed) == plain)
        #expect(try cipher.seal(plain) != sealed, "a fresh nonce each time")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("jane@example.com"))
        #expect(try cipher.open(plain) == plain, "bodies stored before encryption read as they are")

        // Sealed by the old key: still opens while the old key is listed, not after.
        let before = try PayloadCipher(keys: [("2026-05", old)]).seal(plain)
        #expect(try cipher.open(before) == plain)
        let retired = try PayloadCipher(keys: [("2026-11", new)])
        #expect(throws: PayloadCipher.Failure.self) { try retired.open(before) }

        // One flipped bit in the key id (authenticated), the nonce, the ciphertext or the tag is refused.
        // (A flipped marker byte makes the body read as plain bytes: ciphertext, still nothing readable.)
        for position in [6, 14, sealed.count / 2, sealed.count - 1] {
            var altered = sealed
            altered[position] ^= 0x01
            #expect(throws: (any Error).self) { try cipher.open(altered) }
        }
        // The same key under another id does not open it either.
        let renamed = try PayloadCipher(keys: [("2026-12", new)])
        var relabelled = sealed
        relabelled.replaceSubrange(6..<13, with: Array("2026-12".utf8))
        #expect(throws: (any Error).self) { try renamed.open(relabelled) }
    }

    @Test func textFormsRoundTripAndArchivesKeepSealedBodiesIntact() throws {
        let cipher = try PayloadCipher(keys: [("k1", new)])
        let text = try cipher.sealText("password=hunter2 in the body")
        #expect(text.hasPrefix(PayloadCipher.textPrefix) && !text.contains("hunter2"))
        #expect(try cipher.openText(text) == "password=hunter2 in the body")
        #expect(try cipher.openText("plain") == "plain")
        let sealed = try cipher.seal(Array("{}".utf8))
        let archived = PayloadCipher.archiveText(sealed)
        #expect(PayloadCipher.storedBytes(fromArchiveText: archived) == sealed)
        #expect(PayloadCipher.archiveText(Array("{}".utf8)) == "{}")
        #expect(PayloadCipher.storedBytes(fromArchiveText: "{}") == Array("{}".utf8))
    }

    @Test func theEnvironmentIsCheckedWithoutRepeatingAKey() throws {
        let good = Data(new).base64EncodedString()
        #expect(try PayloadCipher.fromEnvironment([:]) == nil)
        #expect(try PayloadCipher.fromEnvironment(["TRIAGE_PAYLOAD_KEYS": "a:\(good),b:\(Data(old).base64EncodedString())"])?.currentKeyID == "a")
        let short = Data(repeating: 9, count: 16).base64EncodedString()
        let cases: [(String, String)] = [
            ("a:\(short)", "TRIAGE_PAYLOAD_KEYS: key 1 ('a'): must be 32 bytes (base64 of 32 random bytes), got 16"),
            ("a\(good)", "TRIAGE_PAYLOAD_KEYS: entry 1 is not ID:BASE64"),
            ("a:\(good),a:\(good)", "TRIAGE_PAYLOAD_KEYS: key id 'a' is listed twice"),
            ("a b:\(good)", "TRIAGE_PAYLOAD_KEYS: key 1: the id must be 1-64 characters of A-Z a-z 0-9 . _ -"),
            ("a:\(good),b:not base64!", "TRIAGE_PAYLOAD_KEYS: entry 2 is not ID:BASE64"),
        ]
        for (value, message) in cases {
            do {
                _ = try PayloadCipher.fromEnvironment(["TRIAGE_PAYLOAD_KEYS": value])
                Issue.record("accepted \(message)")
            } catch {
                #expect(error.description == message)
                #expect(!error.description.contains(good) && !error.description.contains(short))
            }
        }
    }
}
