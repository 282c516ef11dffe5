/// Picks one vendor for a classified incident and says why.
///
/// First honest version: a vendor named by a rule wins; otherwise the vendors whose skills include
/// the category, cheapest first, then by name; otherwise the configured default vendor.
/// Capacity, business hours and SLA fit come in later stages and slot in as more filters here.
public struct VendorAssigner: Sendable {
    public var vendors: [Vendor]
    public var defaultVendor: String?

    public init(vendors: [Vendor], defaultVendor: String? = nil) {
        self.vendors = vendors
        self.defaultVendor = defaultVendor
    }

    /// - Parameters:
    ///   - category: The category from classification, or `nil` when classification abstained.
    ///   - ruleVendor: The vendor a rule named, if any.
    /// - Returns: The chosen vendor (or `nil`) and the reasons, one line each.
    ///   - pool: Vendors a rule restricted the choice to (empty: all vendors).
    public func assign(category: String?, ruleVendor: String?, pool: [String] = []) -> (vendor: Vendor?, reasons: [String]) {
        if let name = ruleVendor {
            if let vendor = vendors.first(where: { $0.name == name }) {
                return (vendor, ["vendor '\(name)' named by rule"])
            }
            return (nil, ["rule names vendor '\(name)', which is not configured; left unassigned"])
        }
        var reasons: [String] = []
        var eligible = vendors
        if !pool.isEmpty {
            eligible = vendors.filter { pool.contains($0.name) }
            reasons.append("vendor pool from rule: \(pool.joined(separator: ", "))")
        }
        if let category {
            let candidates = eligible.filter { $0.handles(category) }
                .sorted { ($0.cost, $0.name) < ($1.cost, $1.name) }
            if let best = candidates.first {
                let listed = candidates.map { "\($0.name) (cost \(Self.format($0.cost)))" }.joined(separator: ", ")
                reasons.append("vendors with skill '\(category)': \(listed)")
                reasons.append("chose '\(best.name)': lowest cost among them")
                return (best, reasons)
            }
            reasons.append("no vendor\(pool.isEmpty ? "" : " in the pool") lists skill '\(category)'")
        } else {
            reasons.append("no category, so no skill to match")
        }
        if !pool.isEmpty, let cheapest = eligible.sorted(by: { ($0.cost, $0.name) < ($1.cost, $1.name) }).first {
            reasons.append("chose '\(cheapest.name)': lowest cost in the pool")
            return (cheapest, reasons)
        }
        if let name = defaultVendor, let vendor = vendors.first(where: { $0.name == name }) {
            reasons.append("fell back to default vendor '\(name)'")
            return (vendor, reasons)
        }
        reasons.append("no default vendor; left unassigned for a human")
        return (nil, reasons)
    }

    static func format(_ cost: Double) -> String {
        cost == cost.rounded() ? String(Int(cost)) : String(cost)
    }
}
