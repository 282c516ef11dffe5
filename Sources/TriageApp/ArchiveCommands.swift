import ArgumentParser
import Foundation
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage export`: every incident (or one vendor's) with its decision, deliveries, SLA timers
/// and history, as JSON lines: the exit door of a contract, so nothing is locked in.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write incidents, decisions, deliveries, timers and events as JSONL.")

    @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
    var store = StoreURL.defaultValue

    @Option(name: .long, help: "Only incidents assigned or delivered to this vendor.")
    var vendor: String?

    @Option(name: .long, help: "Write to this file instead of standard output.")
    var output: String?

    @Option(
        name: .long,
        help: """
            Redact the export with this profile from vendors.yaml redaction.profiles (incident fields, raw payloads, \
            explanations, history, delivery endpoints); the store is not changed.
            """)
    var redact: String?

    @Option(name: .long, help: "With --redact: the directory holding vendors.yaml.")
    var config = "rules"

    func validate() throws {
        do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let redaction = try RedactOption.load(redact, config: config)
        let opened = try await OpenedStore.open(store, mustExist: true)
        defer { opened.close() }
        let archives = try await opened.store.archives(vendor: vendor)
        await CLIAudit.record(
            opened.store, action: "export incidents", target: output ?? "standard output",
            detail: "\(archives.count) incidents" + (vendor.map { ", vendor \($0)" } ?? ""))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        // Bodies sealed at rest are exported readable when TRIAGE_PAYLOAD_KEYS opens them, sealed otherwise.
        let cipher = try? PayloadCipher.fromEnvironment(ProcessInfo.processInfo.environment)
        var stillSealed = 0
        var out = Data()
        for var archive in archives {
            if archive.payload.body.hasPrefix(PayloadCipher.textPrefix) {
                if let cipher, let plain = try? cipher.openText(archive.payload.body) {
                    archive.payload.body = plain
                } else {
                    stillSealed += 1
                }
            }
            if let redaction { archive = redaction.archive(archive) }
            out.append(try encoder.encode(archive))
            out.append(0x0A)
        }
        if stillSealed > 0 {
            FileHandle.standardError.write(
                Data("\(stillSealed) raw bodies stay sealed (set \(PayloadCipher.variable) with their key to export them readable)\n".utf8))
        }
        if let output {
            try out.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(out)
        }
        FileHandle.standardError.write(Data("exported \(archives.count) incidents\n".utf8))
    }
}

/// `triage import`: reads what `triage export` wrote into a store (an incident already there is skipped).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Read incidents exported as JSONL into a store.")

    @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
    var store = StoreURL.defaultValue

    @Argument(help: "A file written by triage export.")
    var file: String

    func validate() throws {
        do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("\(file): not readable\n".utf8))
            throw ExitCode(1)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not RFC 3339: \(text)"))
            }
            return date
        }
        var archives: [IncidentArchive] = []
        for (number, line) in data.split(separator: 0x0A).enumerated() where !line.isEmpty {
            do {
                archives.append(try decoder.decode(IncidentArchive.self, from: Data(line)))
            } catch {
                FileHandle.standardError.write(Data("\(file):\(number + 1): not an exported incident: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        // With TRIAGE_PAYLOAD_KEYS set, plain bodies are sealed on the way in, as the receiver would.
        let cipher: PayloadCipher?
        do {
            cipher = try PayloadCipher.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        if let cipher {
            for index in archives.indices where !archives[index].payload.body.hasPrefix(PayloadCipher.textPrefix) {
                archives[index].payload.body = try cipher.sealText(archives[index].payload.body)
            }
        }
        let opened = try await OpenedStore.open(store, mustExist: false)
        defer { opened.close() }
        let written = try await opened.store.restore(archives)
        await CLIAudit.record(opened.store, action: "import incidents", target: file, detail: "\(written) of \(archives.count) written")
        print("imported \(written) of \(archives.count) incidents (\(archives.count - written) already present)")
    }
}
