/// What a vendor promised: response and resolution targets per priority.
public struct Contract: Sendable, Equatable, Codable {
    /// Targets by priority; a priority without an entry has no SLA clock.
    public var targets: [Priority: SLATarget]

    public init(targets: [Priority: SLATarget] = [:]) {
        self.targets = targets
    }
}

/// How long a vendor has to acknowledge and to resolve an incident of one priority.
public struct SLATarget: Sendable, Equatable, Codable {
    public var acknowledge: Duration
    public var resolve: Duration

    public init(acknowledge: Duration, resolve: Duration) {
        self.acknowledge = acknowledge
        self.resolve = resolve
    }
}

extension Duration {
    /// The duration in seconds, as `Date` arithmetic wants it.
    public var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
