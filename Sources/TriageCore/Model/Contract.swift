/// What a vendor promised: response and resolution targets per priority.
public struct Contract: Sendable, Equatable {
    /// Targets by priority; a priority without an entry has no SLA clock.
    public var targets: [Priority: SLATarget]
    /// Which hours the clocks count.
    public var clock: SLAClockChoice = .vendorHours
    /// Incident `status` label values that pause the clocks.
    public var pauseOn: [String] = []
    /// What to do as budgets are spent.
    public var escalation: EscalationLadder?

    public init(targets: [Priority: SLATarget] = [:]) {
        self.targets = targets
    }
}

/// The hours an SLA clock counts.
public enum SLAClockChoice: Sendable, Equatable {
    /// The vendor's business calendar (around the clock when it has none).
    case vendorHours
    /// Around the clock, whatever the vendor's hours.
    case always
    /// A named calendar, resolved when the configuration loads.
    case calendar(BusinessCalendar)
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
