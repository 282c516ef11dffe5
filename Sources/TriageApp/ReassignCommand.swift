import ArgumentParser
import Foundation
import TriageConfig
import TriageCore
import TriageEngine
import TriageStoreSQLite

/// `triage reassign ID --vendor V --reason R`: moves an incident to another vendor (its delivery
/// is queued for the running dispatcher; the SLA clocks restart under the new contract).
struct ReassignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reassign", abstract: "Move an incident to another vendor, with the reason.")

    @Argument(help: "The incident id.")
    var id: String

    @Option(name: .long, help: "The vendor to move it to.")
    var vendor: String

    @Option(name: .long, help: "Why (recorded in the incident's history and decision).")
    var reason: String

    @Option(name: .long, help: "Directory holding sources.yaml, vendors.yaml and rules.yaml.")
    var config = "rules"

    @Option(name: .long, help: "Store URL: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE.")
    var store = StoreURL.defaultValue

    func validate() throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must say why") }
        do { _ = try StoreURL(parsing: store) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let configuration: TriageConfiguration
        do {
            configuration = try ConfigLoader.load(directory: config)
        } catch {
            FileHandle.standardError.write(Data("configuration errors:\n\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let opened = try await OpenedStore.open(store, mustExist: true)
        defer { opened.close() }
        let reassigner = Reassigner(policies: PolicyHolder(configuration.policy), incidents: opened.store, store: opened.store)
        do {
            let decision = try await reassigner.reassign(id, to: vendor, reason: reason, now: Date())
            await CLIAudit.record(
                opened.store, action: "reassign", target: id, detail: "to \(decision.vendor ?? "?"); reason: \(reason)")
            print("reassigned \(id) to \(decision.vendor ?? "?"); \(decision.explanation.last ?? "")")
        } catch let failure as Reassigner.Failure {
            await CLIAudit.record(opened.store, action: "reassign", target: id, status: 409, detail: failure.description)
            FileHandle.standardError.write(Data("\(failure.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
