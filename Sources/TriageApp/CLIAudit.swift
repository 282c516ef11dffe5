import Foundation
import TriageEngine

/// Audit entries for what operators do from the command line: the same trail as the admin API,
/// with the actor `cli:USER` (the user behind sudo when there is one).
enum CLIAudit {
    static var actor: String {
        let environment = ProcessInfo.processInfo.environment
        return "cli:" + (environment["SUDO_USER"] ?? environment["USER"] ?? "uid-\(getuid())")
    }

    /// Appends one entry; a failure is reported on standard error, the command's outcome stands.
    static func record(_ store: any AdminStore, action: String, target: String, status: Int = 200, detail: String = "") async {
        do {
            try await store.audit(AuditEntry(at: Date(), actor: actor, action: action, target: target, status: status, detail: detail))
        } catch {
            FileHandle.standardError.write(Data("warning: audit entry not written: \(error)\n".utf8))
        }
    }
}
