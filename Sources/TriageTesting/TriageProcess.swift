import Foundation
import Synchronization

/// The real `triage` executable as a child process, for tests of what only a process shows:
/// start-up, a crash (SIGKILL), a restart on the same file, exit codes and messages.
public final class TriageProcess: Sendable {
    private let process: Process
    /// The bytes read so far; decoded on access, since a pipe read can split a UTF-8 character.
    private final class Output: Sendable {
        let bytes = Mutex<(stdout: [UInt8], stderr: [UInt8])>(([], []))
    }

    private let output = Output()

    /// Starts `triage` with `arguments`.
    public convenience init(_ arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(executable: Fixtures.triageExecutable, arguments, environment: environment)
    }

    /// Starts another program (a real Alertmanager, for example) the same way.
    public init(executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        self.process = process
        out.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            output.bytes.withLock { $0.stdout += data }
        }
        err.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            output.bytes.withLock { $0.stderr += data }
        }
        try process.run()
    }

    public var standardOutput: String { String(decoding: output.bytes.withLock { $0.stdout }, as: UTF8.self) }
    public var standardError: String { String(decoding: output.bytes.withLock { $0.stderr }, as: UTF8.self) }
    public var isRunning: Bool { process.isRunning }
    /// The child's process id (for /proc/PID: its memory and open files).
    public var pid: Int32 { process.processIdentifier }

    /// The port from the "triage listening on http://HOST:PORT" line, waiting up to 20 s.
    public func listeningPort() async throws -> Int {
        for _ in 0..<2000 {
            let text = standardOutput
            if let range = text.range(of: "listening on http://") {
                let rest = text[range.upperBound...]
                if let colon = rest.firstIndex(of: ":"),
                    let end = rest[colon...].firstIndex(of: "\n"),
                    let port = Int(rest[rest.index(after: colon)..<end])
                {
                    return port
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ProcessFailed(stdout: standardOutput, stderr: standardError)
    }

    /// Sends `signal` (SIGKILL to simulate a crash, SIGTERM for a graceful stop).
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end (up to 20 s) and returns its exit status.
    public func waitForExit() async throws -> Int32 {
        for _ in 0..<2000 where process.isRunning {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard !process.isRunning else {
            send(SIGKILL)
            throw ProcessFailed(stdout: standardOutput, stderr: "did not exit in time\n" + standardError)
        }
        // Let the readability handlers drain what the process wrote last.
        try await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    /// Runs `triage` to completion and returns its exit status, stdout and stderr.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = try TriageProcess(arguments, environment: environment)
        let status = try await process.waitForExit()
        return (status, process.standardOutput, process.standardError)
    }
}

public struct ProcessFailed: Error, CustomStringConvertible {
    public var stdout: String
    public var stderr: String
    public var description: String { "triage did not start as expected\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}
