import Foundation
import TriageApp

/// The crash test's configuration: ``ClusterConfig`` (one `generic` source, three vendors, all
/// delivering to the sink) with short leases and an SLA whose timers fire within seconds.
///
/// Durations in `vendors.yaml` go down to the second, so every incident (P3 by the cluster rule)
/// gets, on a 24x7 clock: an acknowledge notice at 1 s left (1 s), the acknowledge deadline (2 s),
/// a resolve notice at 50 % (2.5 s) and the resolve deadline (5 s). Both notices go to the vendor's
/// endpoint, that is to the sink, under their own idempotency keys.
enum CrashConfig {
    /// Timers each incident gets (two steps, two deadlines), and notices (the two steps).
    static let timersPerIncident = 4
    static let noticesPerIncident = 2
    /// Acknowledge and resolve budgets for P3.
    static let acknowledge = "2s"
    static let resolve = "5s"
    /// Work and timer leases (`--work-lease`): what a killed process holds comes back this late.
    static let workLease = 3
    /// Delivery settings: the lease must be at least twice connect_timeout + timeout.
    static let delivery =
        "max_attempts: 30, initial_backoff: 100ms, max_backoff: 1s, connect_timeout: 1s, timeout: 2s, lease: 6s"

    static let escalations = """
        escalations:
          crash:
            - {remaining: 1s, target: acknowledge, notify: vendor}
            - {at: 50%, notify: vendor, tag: half-spent}
        """

    static var sla: String { "{clock: 24x7, escalation: crash, P3: {acknowledge: \(acknowledge), resolve: \(resolve)}}" }

    /// Writes the configuration under `directory` and returns its path.
    static func write(in directory: String, endpoint: String) throws -> String {
        try ClusterConfig.write(
            in: directory, endpoint: endpoint, capacity: 1_000_000, delivery: delivery, escalations: escalations, sla: sla)
    }
}
