/// How the assigner scores eligible vendors, and where incidents go when nobody is eligible.
///
/// Each eligible vendor gets four values in 0…1 (see ``VendorAssigner``): attainment, load, cost
/// and affinity. Its score is `Σ weight·value / Σ weight`, so it stays in 0…1 whatever the
/// weights add up to (all weights zero: every score is 0 and the tie-breaks decide). Negative
/// weights count as zero.
public struct AssignmentWeights: Sendable, Equatable {
    /// Weight of the vendor's recent SLA attainment.
    public var attainment: Double
    /// Weight of its free capacity.
    public var load: Double
    /// Weight of its price relative to the cheapest candidate.
    public var cost: Double
    /// Weight of its recent history with the incident's service.
    public var affinity: Double
    /// Name of the in-house queue that receives incidents no vendor may take (an alert-worthy
    /// outcome).
    public var internalQueue: String

    public init(
        attainment: Double = 0.4, load: Double = 0.3, cost: Double = 0.2, affinity: Double = 0.1,
        internalQueue: String = "triage-desk"
    ) {
        self.attainment = attainment
        self.load = load
        self.cost = cost
        self.affinity = affinity
        self.internalQueue = internalQueue
    }

    /// The sum of the (non-negative) weights.
    var total: Double { max(0, attainment) + max(0, load) + max(0, cost) + max(0, affinity) }
}
