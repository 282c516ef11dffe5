import Foundation

/// How hard the crash test pushes: `TRIAGE_RELIABILITY=full` (`make reliability`,
/// `scripts/crash-test.sh`) kills the service 20 times; otherwise (`make test`) 4 times, so the
/// test stays under about 40 s. `TRIAGE_CRASH_SEED` replays a run's kill moments.
struct CrashScale: Sendable, CustomStringConvertible {
    /// `full` or `short`.
    var name: String
    /// SIGKILLs, each followed by a restart.
    var kills: Int
    /// Concurrent webhook senders.
    var senders = 8
    /// Incidents waiting for triage above which the senders hold back (see ``CrashLoad``).
    var backlogLimit = 200
    /// The random wait before each kill, after the previous restart is listening.
    var delay: ClosedRange<Double> = 0.3...2.0
    /// How long the killer watches for the stage it aims at to be under way before it kills anyway.
    var aimFor: Duration = .seconds(2)
    /// The longest wait, after the last restart, for all work to be done.
    var settle: Duration = .seconds(120)
    /// Seeds the kill moments; printed so a run can be replayed.
    var seed: UInt64

    /// The scale the environment asks for.
    static func current(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CrashScale {
        let full = environment["TRIAGE_RELIABILITY"] == "full"
        var seed = UInt64.random(in: 1...UInt64.max)
        if let text = environment["TRIAGE_CRASH_SEED"], !text.isEmpty {
            guard let given = UInt64(text) else { throw CrashSetupError("TRIAGE_CRASH_SEED '\(text)' is not an unsigned integer") }
            seed = given
        }
        return CrashScale(name: full ? "full" : "short", kills: full ? 20 : 4, seed: seed)
    }

    var description: String { "\(name) scale, \(kills) kills, \(senders) senders, seed \(seed)" }
}

/// The crash test could not be set up (a bad variable, a configuration it could not write).
struct CrashSetupError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
