import Foundation
import Glibc

/// The configuration of the vendor-outage test: one `generic` source (loopback, no credentials, no
/// rate limit) and one vendor, `alpha`, whose contract sends two escalation notices to the vendor
/// itself one and two seconds after dispatch. So every incident has three messages for the same
/// endpoint — the dispatch, then notice 1, then notice 2 — and their order at the vendor matters.
enum OutageConfig {
    /// The vendor's name, and the path of its endpoint on the sink.
    static let vendor = "alpha"

    /// Retries that outlast the longest outage tested (120 s) without dead-lettering anything:
    /// backoff from 500 ms doubling to 5 s, breaker open after 5 failures for 3 s. A message only
    /// spends an attempt on a real try (an open breaker postpones it for free), so 100 attempts at
    /// ≥ 5 s apart cover more than 8 minutes of refused connections.
    static let delivery =
        "max_attempts: 100, initial_backoff: 500ms, max_backoff: 5s, connect_timeout: 1s, timeout: 5s, "
        + "breaker_failures: 5, breaker_cooldown: 3s"

    /// Writes `sources.yaml`, `rules.yaml` and `vendors.yaml` under `directory/outage-rules`;
    /// returns that directory.
    static func write(in directory: String, endpoint: String) throws -> String {
        let path = directory + "/outage-rules"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try """
            sources:
              - name: generic
                kind: generic
            """.write(toFile: path + "/sources.yaml", atomically: true, encoding: .utf8)
        try """
            groups:
              - name: priority
                rules:
                  - name: errors-are-p3
                    when: {severity: error}
                    then: {priority: P3, category: storage}
            """.write(toFile: path + "/rules.yaml", atomically: true, encoding: .utf8)
        try """
            default_vendor: \(vendor)
            delivery: { \(delivery) }
            escalations:
              prompt:
                - {remaining: 599s, notify: vendor}
                - {remaining: 598s, notify: vendor}
            vendors:
              - name: \(vendor)
                endpoint: \(endpoint)/\(vendor)
                skills: [storage]
                sla:
                  P3: {acknowledge: 5m, resolve: 10m}
                  clock: 24x7
                  escalation: prompt
            """.write(toFile: path + "/vendors.yaml", atomically: true, encoding: .utf8)
        return path
    }

    /// Messages each incident gets at the vendor: the dispatch and two notices.
    static let messagesPerIncident = 3

    /// A loopback port free now (bound to port 0, read back, released), so a vendor endpoint can
    /// be stopped and started again at the same address.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw PortUnavailable(errno: errno) }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else { throw PortUnavailable(errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct PortUnavailable: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { "no free loopback port: \(String(cString: strerror(errno)))" }
    }
}
