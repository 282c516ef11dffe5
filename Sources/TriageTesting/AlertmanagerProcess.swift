import Foundation
import TriageCurl

/// A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on loopback, clustering off.
public final class AlertmanagerProcess: Sendable {
    public let port: Int
    let process: TriageProcess

    /// The Alertmanager binary, when installed (`make test` installs it).
    public static var executable: URL? {
        let candidates = ["/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map(URL.init(fileURLWithPath:))
    }

    /// Starts Alertmanager with `configuration` (YAML) in `directory` and waits until `/-/ready` answers.
    public init(configuration: String, directory: TemporaryDirectory) async throws {
        guard let executable = Self.executable else { throw AlertmanagerMissing() }
        let configPath = directory.path("alertmanager.yml")
        try configuration.write(toFile: configPath, atomically: true, encoding: .utf8)
        let port = try FreePort.next()
        self.port = port
        self.process = try TriageProcess(
            executable: executable,
            [
                "--config.file=\(configPath)", "--storage.path=\(directory.path("am-data"))",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn",
            ])
        try await waitUntilReady()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    func waitUntilReady() async throws {
        for _ in 0..<500 {
            guard process.isRunning else { break }
            let probe = HTTPClientRequest(url: "\(baseURL)/-/ready", connectTimeout: .seconds(1), timeout: .seconds(2))
            if let response = try? await CurlHTTPClient().execute(probe), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.send(SIGKILL)
        throw ProcessFailed(stdout: process.standardOutput, stderr: process.standardError)
    }

    /// What Alertmanager wrote to stderr (for failure messages).
    public var log: String { process.standardError }

    public func stop() async {
        process.send(SIGTERM)
        _ = try? await process.waitForExit()
    }
}

public struct AlertmanagerMissing: Error, CustomStringConvertible {
    public var description: String { "prometheus-alertmanager is not installed (make test installs it)" }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to 0 and released).
public enum FreePort {
    public static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
