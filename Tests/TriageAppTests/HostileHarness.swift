import Foundation
import Glibc
import Logging
import TriageApp
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// A whole server (all roles) over a temp SQLite file, configured with one `generic` source and
/// one vendor delivering to a local ``VendorSink``, for the hostile-input tests.
struct HostileHarness {
    let base: String
    let port: Int
    let sink: VendorSink
    let client = CurlHTTPClient()

    /// Runs `body` while the server runs. `format` is the vendor's `format:` value (YAML) and
    /// `templates` the `templates/*.mustache` files, by name.
    static func with(
        format: String = "generic",
        templates: [String: String] = [:],
        sourcesSettings: String = "",
        _ body: @Sendable (HostileHarness) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let rules = directory.path("rules")
            try FileManager.default.createDirectory(atPath: rules + "/templates", withIntermediateDirectories: true)
            try "\(sourcesSettings)sources:\n  - name: generic\n    kind: generic\n".write(
                toFile: rules + "/sources.yaml", atomically: true, encoding: .utf8)
            try "rules: []\n".write(toFile: rules + "/rules.yaml", atomically: true, encoding: .utf8)
            let vendors = """
                default_vendor: v
                delivery: { max_attempts: 2, initial_backoff: 200ms, max_backoff: 1s, connect_timeout: 2s, timeout: 5s }
                vendors:
                  - name: v
                    endpoint: http://127.0.0.1:\(sinkPort)/v
                    format: \(format)
                """
            try vendors.write(toFile: rules + "/vendors.yaml", atomically: true, encoding: .utf8)
            for (name, text) in templates {
                try text.write(toFile: rules + "/templates/\(name).mustache", atomically: true, encoding: .utf8)
            }
            let configuration = try ConfigLoader.load(directory: rules)
            let store = try SQLiteStore(path: directory.path("hostile.sqlite"))
            var options = TriageServer.Options()
            options.port = 0
            options.workerPoll = .milliseconds(50)
            options.dispatcherPoll = .milliseconds(50)
            let ready = PortWaiter()
            let server = TriageServer(
                configuration: configuration, store: store, clock: SystemClock(), options: options,
                logger: Logger(label: "hostile"), onServerRunning: { await ready.report($0) })
            try await RunningService.with(server.services, ready: ready) { port in
                try await body(HostileHarness(base: "http://127.0.0.1:\(port)", port: port, sink: sink))
            }
        }
    }

    /// Posts `json` to the generic source.
    func post(_ json: [UInt8]) async throws -> HTTPClientResponse {
        try await client.execute(
            HTTPClientRequest(
                method: "POST", url: base + "/webhooks/generic", headers: [("Content-Type", "application/json")], body: json))
    }

    /// Posts `object` (serialised with `JSONSerialization`) to the generic source.
    func post(object: [String: Any]) async throws -> HTTPClientResponse {
        try await post(Array(try JSONSerialization.data(withJSONObject: object)))
    }

    /// The id of the one incident a 202 answer names.
    func acceptedID(_ response: HTTPClientResponse) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let incidents = object?["incidents"] as? [[String: Any]]
        return incidents?.first?["id"] as? String
    }

    /// `GET /api/incidents/{id}` as a JSON object.
    func incident(_ id: String) async throws -> [String: Any]? {
        let response = try await client.execute(HTTPClientRequest(url: "\(base)/api/incidents/\(id)"))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return object?["incident"] as? [String: Any]
    }

    /// The sink's requests once at least one arrived, polling for up to fifteen seconds.
    func firstDelivery() async throws -> VendorSink.Received? {
        for _ in 0..<1500 {
            if let first = sink.received.first { return first }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}

/// A plain blocking TCP connection to 127.0.0.1 (POSIX sockets), for speaking raw, slow or not at all.
struct RawConnection: Sendable {
    let fd: Int32

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects to `127.0.0.1:port`; receives time out after `receiveTimeout` seconds.
    init(port: Int, receiveTimeout: Int = 10) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failed(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw Failed(description: "connect to 127.0.0.1:\(port): errno \(code)")
        }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    /// Sends all of `bytes`; false if the peer has gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the end of the response head; returns its status code, nil on close or timeout.
    func readStatus() -> Int? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            received += chunk[..<count]
        }
        let statusLine = String(decoding: received, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }

    /// Whether the server closes the connection (reads return end of file) before the receive
    /// timeout; whatever else arrives first is skipped.
    func closedByPeer() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    func close() { _ = Glibc.close(fd) }
}
