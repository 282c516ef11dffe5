import Foundation

/// Writes a configuration directory for a test: the sample sources and rules, and vendors that
/// all deliver to `endpoint` (a local ``VendorSink``).
public enum ConfigDirectory {
    public static func write(
        in directory: TemporaryDirectory, vendorEndpoint endpoint: String,
        delivery: String = "max_attempts: 5, initial_backoff: 200ms, max_backoff: 1s, connect_timeout: 2s, timeout: 5s"
    ) throws -> String {
        let path = directory.path("rules")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let sample = Fixtures.projectRoot.appendingPathComponent("rules")
        for name in ["sources.yaml", "rules.yaml", "history"] {
            try FileManager.default.copyItem(atPath: sample.appendingPathComponent(name).path, toPath: path + "/" + name)
        }
        let vendors = """
            default_vendor: initech-apps
            delivery: { \(delivery) }
            vendors:
              - name: acme-dba
                endpoint: \(endpoint)/acme
                skills: [database]
                sla:
                  P1: { acknowledge: 15m, resolve: 4h }
              - name: globex-infra
                endpoint: \(endpoint)/globex
                skills: [network, infrastructure, storage]
              - name: initech-apps
                endpoint: \(endpoint)/initech
                skills: [application, access]
            """
        try vendors.write(toFile: path + "/vendors.yaml", atomically: true, encoding: .utf8)
        return path
    }
}
