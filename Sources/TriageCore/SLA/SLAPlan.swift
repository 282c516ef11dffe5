import FoundationEssentials

/// The deadlines an incident's vendor must meet, computed from its contract at assignment time.
///
/// First honest version: wall-clock deadlines. Business calendars come in a later stage and
/// replace the arithmetic in ``make(priority:vendor:now:)`` without changing this type.
public struct SLAPlan: Sendable, Equatable, Codable {
    public var priority: Priority
    public var acknowledgeBy: Date
    public var resolveBy: Date

    public init(priority: Priority, acknowledgeBy: Date, resolveBy: Date) {
        self.priority = priority
        self.acknowledgeBy = acknowledgeBy
        self.resolveBy = resolveBy
    }

    /// The plan for `priority` under `vendor`'s contract, starting at `now`; `nil` when the
    /// contract has no target for that priority.
    public static func make(priority: Priority, vendor: Vendor, now: Date, policy: SLAPolicy? = nil) -> SLAPlan? {
        guard let target = policy?.targets[priority] ?? vendor.contract.targets[priority] else { return nil }
        return SLAPlan(
            priority: priority,
            acknowledgeBy: now.addingTimeInterval(target.acknowledge.timeInterval),
            resolveBy: now.addingTimeInterval(target.resolve.timeInterval)
        )
    }
}

/// One SLA clock to watch: which deadline, and when it falls.
public struct SLATimer: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case acknowledge
        case resolve
    }

    public var kind: Kind
    public var dueAt: Date

    public init(kind: Kind, dueAt: Date) {
        self.kind = kind
        self.dueAt = dueAt
    }
}

extension SLAPlan {
    /// The timers this plan asks the store to keep.
    public var timers: [SLATimer] {
        [SLATimer(kind: .acknowledge, dueAt: acknowledgeBy), SLATimer(kind: .resolve, dueAt: resolveBy)]
    }
}
