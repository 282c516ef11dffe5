import FoundationEssentials

/// What the assigner knows about a vendor right now, supplied by the caller (the store counts open
/// incidents and SLA results; the assigner reads no clock and does no I/O).
///
/// A vendor without an entry in the states passed to ``VendorAssigner/assign(_:states:explain:)``
/// is treated as `VendorState()`: nothing open, no history, nothing assigned.
public struct VendorState: Sendable, Equatable {
    /// Incidents currently open at the vendor (checked against ``Vendor/capacity``; drives the
    /// load score).
    public var openIncidents: Int
    /// Open incidents by priority (checked against ``Vendor/capacityByPriority``).
    public var openByPriority: [Priority: Int]
    /// Share of SLA targets met over a recent window, 0…1; `nil` = no history (scored 0.5).
    public var attainment: Double?
    /// Incidents assigned to it so far, for share-group splits.
    public var assigned: Int
    /// Service name (as the request gives it) → incidents of that service it handled recently.
    public var affinity: [String: Int]
    /// Why an operator took the vendor out of assignment (`POST /api/vendors/{name}/disable`);
    /// `nil` while it takes work. Checked like `enabled: false` in its configuration.
    public var disabledBecause: String?

    public init(
        openIncidents: Int = 0, openByPriority: [Priority: Int] = [:], attainment: Double? = nil, assigned: Int = 0,
        affinity: [String: Int] = [:], disabledBecause: String? = nil
    ) {
        self.disabledBecause = disabledBecause
        self.openIncidents = openIncidents
        self.openByPriority = openByPriority
        self.attainment = attainment
        self.assigned = assigned
        self.affinity = affinity
    }
}
