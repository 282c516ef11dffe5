import ArgumentParser
import Foundation
import TriageEngine

/// `triage payload-keys status|rotate`: what the raw bodies at rest are sealed with, and moving
/// them all to the current key (the first in `TRIAGE_PAYLOAD_KEYS`) so an old key can be retired.
struct PayloadKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payload-keys",
        abstract: "Encryption at rest of raw webhook bodies: status, and rotation to the current key.",
        subcommands: [Status.self, Rotate.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count stored bodies by key id (or plain).")

        @OptionGroup var options: OutboxCommand.StoreOption

        func run() async throws {
            let store = try await options.open()
            var counts: [String: Int] = [:]
            try await PayloadKeysCommand.eachRaw(store) { body in
                counts[PayloadCipher.keyID(of: body.body).map { "key \($0)" } ?? "plain", default: 0] += 1
            }
            var rejected: [String: Int] = [:]
            try await PayloadKeysCommand.eachRejected(store) { body in
                rejected[PayloadKeysCommand.keyLabel(body.body), default: 0] += 1
            }
            for (title, table) in [("raw webhook bodies", counts), ("kept rejected bodies", rejected)] {
                print("\(title): " + (table.isEmpty ? "none" : table.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every stored body with the current key; with --encrypt-plain, seal plain ones too.",
            discussion: """
                Needs TRIAGE_PAYLOAD_KEYS with the new key first and every key still in use after it. \
                Safe to run while the service runs and to run again; a body purged or rotated meanwhile is skipped.
                """)

        @OptionGroup var options: OutboxCommand.StoreOption

        @Flag(name: .long, help: "Also seal bodies stored before encryption was turned on.")
        var encryptPlain = false

        func run() async throws {
            let cipher: PayloadCipher
            do {
                guard let configured = try PayloadCipher.fromEnvironment(ProcessInfo.processInfo.environment) else {
                    throw ValidationError("\(PayloadCipher.variable) is not set: there is no key to rotate to")
                }
                cipher = configured
            } catch let failure as PayloadCipher.Failure {
                throw ValidationError(failure.description)
            }
            let store = try await options.open()
            var (resealed, sealed, unchanged) = (0, 0, 0)
            var failures: [String] = []
            try await PayloadKeysCommand.eachRaw(store) { stored in
                let id = PayloadCipher.keyID(of: stored.body)
                guard id != cipher.currentKeyID, id != nil || encryptPlain else { return unchanged += 1 }
                do {
                    let body = try cipher.seal(try cipher.open(stored.body))
                    if try await store.replaceRawBody(id: stored.id, expected: stored.body, with: body) {
                        if id == nil { sealed += 1 } else { resealed += 1 }
                    }
                } catch {
                    failures.append("raw payload \(stored.id): \(error)")
                }
            }
            try await PayloadKeysCommand.eachRejected(store) { stored in
                let sealedNow = stored.body.hasPrefix(PayloadCipher.textPrefix)
                guard PayloadKeysCommand.keyLabel(stored.body) != "key \(cipher.currentKeyID)", sealedNow || encryptPlain else {
                    return unchanged += 1
                }
                do {
                    let body = try cipher.sealText(try cipher.openText(stored.body))
                    if try await store.replaceRejectedBody(id: stored.id, expected: stored.body, with: body) {
                        if sealedNow { resealed += 1 } else { sealed += 1 }
                    }
                } catch {
                    failures.append("rejected payload \(stored.id): \(error)")
                }
            }
            await CLIAudit.record(
                store, action: "payload-keys rotate", target: "key \(cipher.currentKeyID)", status: failures.isEmpty ? 200 : 500,
                detail: "\(resealed) re-sealed, \(sealed) sealed, \(unchanged) unchanged, \(failures.count) failed")
            print("rotated to key \(cipher.currentKeyID): \(resealed) re-sealed, \(sealed) plain bodies sealed, \(unchanged) unchanged")
            guard failures.isEmpty else {
                FileHandle.standardError.write(Data((failures.prefix(20) + ["\(failures.count) failed"]).joined(separator: "\n").utf8 + [0x0A]))
                throw ExitCode(1)
            }
        }
    }

    static func keyLabel(_ text: String) -> String {
        guard text.hasPrefix(PayloadCipher.textPrefix),
            let bytes = Data(base64Encoded: String(text.dropFirst(PayloadCipher.textPrefix.count))),
            let id = PayloadCipher.keyID(of: Array(bytes))
        else { return "plain" }
        return "key \(id)"
    }

    static func eachRaw(_ store: any TriageStore, _ body: (StoredBody) async throws -> Void) async throws {
        var after: Int64 = 0
        while true {
            let page = try await store.rawBodies(after: after, limit: 500)
            for stored in page { try await body(stored) }
            guard let last = page.last?.id, page.count == 500 else { return }
            after = last
        }
    }

    static func eachRejected(_ store: any TriageStore, _ body: (StoredText) async throws -> Void) async throws {
        var after: Int64 = 0
        while true {
            let page = try await store.rejectedBodies(after: after, limit: 500)
            for stored in page { try await body(stored) }
            guard let last = page.last?.id, page.count == 500 else { return }
            after = last
        }
    }
}
