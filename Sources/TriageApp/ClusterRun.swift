import Foundation
import TriageCore
import TriageCurl
import TriageHTTP

/// One run of `triage bench cluster`: starts the `triage serve` processes, posts the incidents to
/// the receiver, and times until the vendor endpoint has every one of them.
struct ClusterRun {
    let config: String
    let client: CurlHTTPClient
    let sink: VendorSink
    let incidents: Int
    let concurrency: Int

    /// Runs one configuration and prints its line; returns incidents per second.
    func measure(store: String, roles: [[String]], label: String, baseline: Double?) async throws -> Double {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let port = try Self.freePort()
        let base = sink.received.count
        var processes: [Process] = []
        defer {
            for process in processes where process.isRunning { process.terminate() }
            for process in processes { process.waitUntilExit() }
        }
        for (index, role) in roles.enumerated() {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["serve", "--config", config, "--store", store, "--log-level", "error"] + role
                + (index == 0 ? ["--port", "\(port)"] : [])
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append(process)
            if index == 0 { try await waitUntilReady(port: port, process: process) }
        }
        let started = ContinuousClock.now
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<concurrency {
                group.addTask { [client, incidents, concurrency] in
                    var refused = 0
                    for n in stride(from: lane, to: incidents, by: concurrency) {
                        let response = try await client.execute(
                            HTTPClientRequest(
                                method: "POST", url: "http://127.0.0.1:\(port)/webhooks/generic",
                                headers: [("Content-Type", "application/json")], body: ClusterConfig.body(key: n)))
                        if !(200..<300).contains(response.status) { refused += 1 }
                    }
                    return refused
                }
            }
            return try await group.reduce(0, +)
        }
        let accepted = incidents - refused
        let posted = (ContinuousClock.now - started).timeInterval
        let deadline = ContinuousClock.now + .seconds(600)
        while sink.received.count - base < accepted, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let seconds = (ContinuousClock.now - started).timeInterval
        let rate = Double(sink.received.count - base) / seconds
        let processesText = roles.count == 1 ? "1 (all roles)" : "1 receiver + \(roles.count - 1) worker\(roles.count > 2 ? "s" : "")"
        let ratio = baseline.map { "\((rate / $0 * 100).rounded() / 100)×" } ?? "—"
        print(
            "\(label.padding(toLength: 12, withPad: " ", startingAt: 0)) "
                + "\(processesText.padding(toLength: 25, withPad: " ", startingAt: 0)) "
                + "\(String(Int((Double(accepted) / posted).rounded())).leftPadded(10))   "
                + "\(String(Int(rate.rounded())).leftPadded(11))   \(ratio)"
                + (accepted < incidents ? "  (\(incidents - accepted) refused)" : ""))
        return rate
    }

    func waitUntilReady(port: Int, process: Process) async throws {
        for _ in 0..<600 {
            guard process.isRunning else { throw ClusterRunError("triage serve exited at start") }
            if let response = try? await client.execute(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/readyz")),
                response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ClusterRunError("triage serve did not become ready on port \(port)")
    }

    /// A port free right now (the kernel's pick for an ephemeral bind).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterRunError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ClusterRunError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ClusterRunError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
