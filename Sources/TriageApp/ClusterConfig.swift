import Foundation

/// A configuration for `triage bench cluster` and the tests of several instances: one `generic` source (no
/// credentials, so loopback senders only, no rate limit) and three vendors with the one skill every
/// incident gets, the two cheapest with a capacity, all delivering to `endpoint`.
public enum ClusterConfig {
    public static let vendors = ["alpha", "beta", "gamma"]

    /// Writes `sources.yaml`, `rules.yaml` and `vendors.yaml` under `directory/cluster-rules`.
    /// - Parameters:
    ///   - escalations: YAML for `vendors.yaml`'s `escalations:` section (with that key), if any.
    ///   - sla: The flow mapping of every vendor's `sla:` key (`{clock: 24x7, P3: {…}}`), if any.
    public static func write(
        in directory: String, endpoint: String, capacity: Int = 1_500,
        delivery: String = "max_attempts: 8, initial_backoff: 200ms, max_backoff: 1s, connect_timeout: 2s, timeout: 5s, lease: 14s",
        escalations: String = "", sla: String? = nil
    ) throws -> String {
        let contract = sla.map { "\n    sla: \($0)" } ?? ""
        let path = directory + "/cluster-rules"
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
            default_vendor: gamma
            delivery: { \(delivery) }
            \(escalations)
            vendors:
              - name: alpha
                endpoint: \(endpoint)/alpha
                skills: [storage]
                cost: 10
                capacity: \(capacity)\(contract)
              - name: beta
                endpoint: \(endpoint)/beta
                skills: [storage]
                cost: 20
                capacity: \(capacity)\(contract)
              - name: gamma
                endpoint: \(endpoint)/gamma
                skills: [storage]
                cost: 50\(contract)
            """.write(toFile: path + "/vendors.yaml", atomically: true, encoding: .utf8)
        return path
    }

    /// A generic webhook body for incident `key`.
    public static func body(key: Int) -> [UInt8] {
        Array(
            """
            {"title": "Disk almost full on host-\(key)", "description": "volume /data above 95%", \
            "severity": "error", "service": "svc-\(key % 10)", "dedup_key": "k-\(key)"}
            """.utf8)
    }
}
