import FoundationEssentials

/// Picks one vendor among several for an incident, from their contracts and current states,
/// deterministically, and explains every candidate.
///
/// Pure: `now` and the vendor states are inputs; no clock, no I/O. Same inputs, same answer.
///
/// The decision, in order:
/// 1. **Pinned vendor.** A vendor named by a rule wins when eligible. The skill filter and the
///    pool do not apply to it (the rule decided the scope); every other check does (see
///    ``VendorIndex`` for the checks). When it is not eligible (or not configured), its `backup`
///    chain is followed, cycle-safe, to the first eligible backup (also without skill filter);
///    when none is, general selection follows, and the explanation says so.
/// 2. **General selection** among the vendors passing every check, skill filter and pool included.
///    Each gets four values in 0…1: attainment (`VendorState.attainment`, `nil` → 0.5), load
///    (`1 − open/capacity`, or `1/(1+open)` without a capacity), cost (the cheapest candidate's
///    price at the priority divided by its own; free → 1) and affinity (incidents of the
///    request's service it handled, over the most any candidate handled; 0 when none). The score
///    is their weighted mean (``AssignmentWeights``). Highest score wins (scores equal to 1e-9
///    tie); ties go to the lower cost, then the smaller name.
/// 3. **Share groups.** When the best-scoring vendor has a `shareGroup` and a positive `share`,
///    and at least two eligible vendors of that group have positive shares, the winner is the
///    member with the largest deficit `share/Σshare − assigned/Σassigned` (sums over those
///    eligible members, `assigned` from the states; ties by name). Over many incidents each member
///    gets its share to within one incident.
/// 4. **Default vendor.** When nobody is eligible, the configured default vendor if it passes
///    every check but the skill filter and the pool.
/// 5. **Internal queue.** Otherwise no vendor: ``AssignmentResult/toInternalQueue`` is `true` and
///    the last reason starts with `ALERT:` and lists why each vendor was excluded (this line is
///    written even when not explaining).
public struct VendorAssigner: Sendable {
    public var vendors: [Vendor] {
        didSet { index = VendorIndex(vendors) }
    }
    public var defaultVendor: String?
    public var weights: AssignmentWeights
    private(set) var index: VendorIndex

    public init(vendors: [Vendor], defaultVendor: String? = nil, weights: AssignmentWeights = AssignmentWeights()) {
        self.vendors = vendors
        self.defaultVendor = defaultVendor
        self.weights = weights
        self.index = VendorIndex(vendors)
    }

    /// The vendor configured under `name` (the first one, should two share it).
    public func vendor(named name: String) -> Vendor? {
        index.position[name].map { vendors[$0] }
    }

    /// Decides who takes `request`.
    ///
    /// - Parameters:
    ///   - states: Current state by vendor name; a vendor without one counts as idle and new.
    ///   - explain: When `false`, no candidate reports and no reason lines are built (faster),
    ///     except the `ALERT:` line of an internal-queue outcome.
    public func assign(
        _ request: AssignmentRequest, states: [String: VendorState] = [:], explain: Bool = true
    ) -> AssignmentResult {
        var run = AssignmentRun(assigner: self, request: request, states: states, explain: explain)
        return run.decide()
    }

    /// `120` for 120.0, `99.5` otherwise.
    static func format(_ cost: Double) -> String {
        cost == cost.rounded() && abs(cost) < 1e15 ? String(Int(cost)) : String(cost)
    }

    /// `value` with exactly `digits` decimals (`0.70`), without Foundation's formatters.
    static func fixed(_ value: Double, _ digits: Int = 2) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return String(value) }
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let n = Int((abs(value) * Double(scale)).rounded())
        let sign = value < 0 && n != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(n) }
        let fraction = String(n % scale)
        return sign + String(n / scale) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
