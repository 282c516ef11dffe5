import Foundation
import Synchronization
import TriageTesting

/// The `triage serve` process under test, started again with the same arguments after each kill.
final class CrashServer: Sendable {
    private let arguments: [String]
    private let port: Int
    private let process = Mutex<TriageProcess?>(nil)
    /// Seconds from each start to listening.
    private let startTimes = Mutex<[Double]>([])

    init(arguments: [String], port: Int) {
        self.arguments = arguments
        self.port = port
    }

    /// Starts the process and waits until it listens on its fixed port.
    func start() async throws {
        let started = ContinuousClock.now
        let next = try TriageProcess(arguments)
        process.withLock { $0 = next }
        let listening = try await next.listeningPort()
        guard listening == port else {
            throw CrashSetupError("triage listened on \(listening), not on the fixed port \(port)")
        }
        let elapsed = ContinuousClock.now - started
        startTimes.withLock { $0.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) }
    }

    /// SIGKILLs the process and waits until it is gone.
    func kill() async throws {
        guard let current = process.withLock({ $0 }) else { return }
        current.send(SIGKILL)
        let status = try await current.waitForExit()
        guard status == SIGKILL else {
            throw CrashSetupError("triage ended with status \(status) before the kill; stderr: \(current.standardError.suffix(2_000))")
        }
    }

    /// Kills the process if it still runs (test clean-up).
    func stop() {
        if let current = process.withLock({ $0 }), current.isRunning { current.send(SIGKILL) }
    }

    /// Whether the process is running.
    var isRunning: Bool { process.withLock { $0?.isRunning ?? false } }

    /// The end of the current process's standard error, for failure messages.
    var recentErrors: String { process.withLock { $0.map { String($0.standardError.suffix(3_000)) } ?? "" } }

    /// Seconds from start to listening, for each start.
    var startSeconds: [Double] { startTimes.withLock { $0 } }
}
