import ArgumentParser
import Foundation
import TriageCore
import TriageEngine

/// `triage audit verify|export`: checks the audit trail's hash chain, and writes the trail out
/// for an auditor or another system (one JSON object per line, hashes included).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify or export the tamper-evident audit trail.",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit trail's hash chain; exit 1 at the first entry that was changed, removed or reordered.",
            discussion: """
                Prints the number of entries and the head hash. Record the head elsewhere and pass it \
                back later with --anchor: removing the newest entries is then detected too.
                """)

        @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
        var store = StoreURL.defaultValue

        @Option(name: .long, help: "A head hash printed by an earlier verify; it must still be in the chain.")
        var anchor: String?

        func validate() throws {
            do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
            if let anchor, anchor.utf8.count != 64 || !anchor.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
                throw ValidationError("--anchor: expected 64 lower-case hex digits (a head hash printed by `triage audit verify`)")
            }
        }

        func run() async throws {
            let opened = try await OpenedStore.open(store, mustExist: true)
            defer { opened.close() }
            let result = try await AuditChain.verify(opened.store, anchor: anchor)
            if let broken = result.firstBreak {
                FileHandle.standardError.write(Data("audit trail BROKEN: \(broken.description) (\(result.count) entries read)\n".utf8))
                throw ExitCode(1)
            }
            print("audit trail intact: \(result.count) entries, head \(result.head)")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the audit trail, oldest first, one JSON object per line (with both hashes).")

        @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
        var store = StoreURL.defaultValue

        @Option(name: .long, help: "Only entries with an id above this one (to continue an earlier export).")
        var after: Int64 = 0

        @Option(name: .long, help: "Write to this file instead of standard output.")
        var output: String?

        func validate() throws {
            do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
            guard after >= 0 else { throw ValidationError("--after \(after): must be 0 or more") }
        }

        func run() async throws {
            let opened = try await OpenedStore.open(store, mustExist: true)
            defer { opened.close() }
            let sink: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil),
                    let handle = FileHandle(forWritingAtPath: output)
                else {
                    FileHandle.standardError.write(Data("cannot write \(output)\n".utf8))
                    throw ExitCode(1)
                }
                sink = handle
            } else {
                sink = FileHandle.standardOutput
            }
            defer { if output != nil { try? sink.close() } }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(RFC3339.format(date))
            }
            var cursor = after
            var written = 0
            while true {
                let page = try await opened.store.auditEntries(after: cursor, limit: 1_000)
                var chunk: [UInt8] = []
                for entry in page {
                    chunk += try encoder.encode(entry)
                    chunk.append(0x0A)
                }
                sink.write(Data(chunk))
                written += page.count
                guard let last = page.last?.id, page.count == 1_000 else { break }
                cursor = last
            }
            if output != nil { print("exported \(written) audit entries to \(output ?? "")") }
        }
    }
}
