import Foundation
import TriageCore

/// What assignment needs to know about each vendor right now, maintained by the store as
/// incidents are assigned and resolved (never recomputed by scanning incidents).
public struct VendorStats: Sendable, Equatable {
    public var open: Int = 0
    public var openByPriority: [Priority: Int] = [:]
    /// Resolution targets met and missed within the window asked for.
    public var met: Int = 0
    public var missed: Int = 0
    /// Incidents assigned since the beginning (share splits are kept over time).
    public var assigned: Int = 0
    /// Incidents handled per service (lower-cased), for affinity.
    public var affinity: [String: Int] = [:]
    /// Why an operator disabled the vendor (``AdminStore/setVendorDisabled(_:reason:actor:at:)``); `nil` when not.
    public var disabledBecause: String?

    public init() {}

    /// Share of resolution targets met, `nil` without history.
    public var attainment: Double? { met + missed == 0 ? nil : Double(met) / Double(met + missed) }
}

public protocol VendorStatsStore: Sendable {
    /// Every vendor's stats, SLA results counted from `since`.
    func vendorStats(since: Date) async throws -> [String: VendorStats]
}
