import FoundationEssentials

/// SLA attainment per vendor and priority over a period, computed from ``SLARecord``s: one row per
/// (vendor, priority), a total row per vendor and an overall total.
///
/// How the figures are counted:
/// - **incidents**: distinct incident ids among the row's records. A reassigned incident counts
///   under each vendor that held it, and once in the overall total (so the overall figure can be
///   less than the sum of the vendors'). Still-running records count here.
/// - per target (acknowledge, resolve), see ``TargetFigures``: verdicts (`met != nil`), met,
///   breaches (`met == false`), attainment, and the median and p90 time to target over the records
///   that stopped (`stoppedAt != nil`), in business and in wall-clock seconds.
/// - **reassignments** and **reopened** are incident-level facts repeated on each record: counted
///   once per incident of the row (the largest value / any record, should they disagree).
/// - **escalations**: summed over the records (each clock's own steps).
/// - **cost**: the vendor's price, counted once per (vendor, incident) of the row, taken from the
///   earliest record that carries one; `nil` when no record of the row has a price. The overall
///   cost is therefore the sum of the vendors' costs.
///
/// The report does not filter: it trusts its records to be the period's (``from`` and ``to`` label it).
public struct SLAReport: Sendable, Equatable {
    /// Start of the period (inclusive).
    public var from: Date
    /// End of the period (exclusive).
    public var to: Date
    /// Vendors sorted by name, each with its priority rows (ascending) and its total.
    public var vendors: [VendorSection]
    /// All vendors and priorities.
    public var total: Row

    /// One vendor's rows.
    public struct VendorSection: Sendable, Equatable {
        public var vendor: String
        /// One row per priority that has records, P1 first.
        public var priorities: [Row]
        /// The vendor over all priorities.
        public var total: Row
    }

    /// The figures of one (vendor, priority), one vendor, or everything.
    public struct Row: Sendable, Equatable {
        /// `nil` in the overall total.
        public var vendor: String?
        /// `nil` in total rows.
        public var priority: Priority?
        /// Distinct incidents.
        public var incidents: Int
        public var acknowledge: TargetFigures
        public var resolve: TargetFigures
        /// Sum of the incidents' reassignment counts (once per incident).
        public var reassignments: Int
        /// Incidents reopened at least once.
        public var reopened: Int
        /// Escalation steps fired, summed over the records.
        public var escalations: Int
        /// Sum of the vendors' prices for the incidents (once per vendor and incident); `nil` when none is known.
        public var cost: Double?

        /// `reopened / incidents`, 0…1; `nil` when there is no incident.
        public var reopenRate: Double? { incidents == 0 ? nil : Double(reopened) / Double(incidents) }

        /// The figures of `target`.
        public subscript(target: SLATimer.Kind) -> TargetFigures {
            target == .acknowledge ? acknowledge : resolve
        }
    }

    /// One target's figures within a row.
    public struct TargetFigures: Sendable, Equatable {
        /// Records with a verdict (`met != nil`): met plus breaches.
        public var total: Int
        public var met: Int
        /// Records with `met == false` (late, whether or not they stopped since).
        public var breaches: Int
        /// Records without a verdict yet (`met == nil`): not counted in attainment.
        public var running: Int
        /// Records that stopped (`stoppedAt != nil`): the sample of the times below.
        public var stopped: Int
        /// Median and p90 business time to target; `nil` when nothing stopped.
        public var business: Quantiles?
        /// Median and p90 wall-clock time to target; `nil` when nothing stopped.
        public var wall: Quantiles?

        /// `met / total`, 0…1; `nil` when no record has a verdict.
        public var attainment: Double? { total == 0 ? nil : Double(met) / Double(total) }
    }

    /// Median and 90th percentile of a set of durations, in seconds (see ``SLAReport/percentile(_:of:)``).
    public struct Quantiles: Sendable, Equatable {
        public var median: Int
        public var p90: Int

        public init(median: Int, p90: Int) {
            self.median = median
            self.p90 = p90
        }
    }

    /// Every row in reading order: each vendor's priorities then its total, then the overall total.
    public var rows: [Row] { vendors.flatMap { $0.priorities + [$0.total] } + [total] }

    /// Builds the report from `records` (any order) for the period [`from`, `to`).
    public init(records: [SLARecord], from: Date, to: Date) {
        self.from = from
        self.to = to
        let ordered = records.sorted {
            ($0.startedAt, $0.incidentID, $0.target.rawValue, $0.vendor)
                < ($1.startedAt, $1.incidentID, $1.target.rawValue, $1.vendor)
        }
        let byVendor = Dictionary(grouping: ordered, by: \.vendor)
        vendors = byVendor.keys.sorted().map { vendor in
            let records = byVendor[vendor] ?? []
            let byPriority = Dictionary(grouping: records, by: \.priority)
            return VendorSection(
                vendor: vendor,
                priorities: byPriority.keys.sorted().map {
                    SLAReport.row(byPriority[$0] ?? [], vendor: vendor, priority: $0)
                },
                total: SLAReport.row(records, vendor: vendor, priority: nil))
        }
        total = SLAReport.row(ordered, vendor: nil, priority: nil)
    }

    /// The nearest-rank percentile: with the `n` values sorted ascending, the value at rank
    /// `⌈percent/100 · n⌉` (1-based, at least 1); `nil` when there is none. The median is
    /// `percentile(50, …)`: for an even count it is the lower of the two middle values. Computed
    /// in integers, so `percentile(90, of: 1…10)` is exactly the 9th value.
    public static func percentile(_ percent: Int, of sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = (max(0, min(100, percent)) * sorted.count + 99) / 100
        return sorted[max(1, rank) - 1]
    }

    /// The figures of `records` (sorted by start), labelled `vendor` / `priority`.
    static func row(_ records: [SLARecord], vendor: String?, priority: Priority?) -> Row {
        var incidents: [String: (reassignments: Int, reopened: Bool)] = [:]
        var costs: [String: [String: Double]] = [:]  // vendor → incident → price
        var escalations = 0
        for record in records {
            let seen = incidents[record.incidentID]
            incidents[record.incidentID] = (
                max(seen?.reassignments ?? 0, record.reassignments), (seen?.reopened ?? false) || record.reopened
            )
            escalations += record.escalations
            if let cost = record.cost, costs[record.vendor]?[record.incidentID] == nil {
                costs[record.vendor, default: [:]][record.incidentID] = cost
            }
        }
        // Summed in a fixed order so the same records always give the same total.
        let prices = costs.keys.sorted().flatMap { vendor in (costs[vendor] ?? [:]).sorted { $0.key < $1.key }.map(\.value) }
        return Row(
            vendor: vendor, priority: priority, incidents: incidents.count,
            acknowledge: figures(records.filter { $0.target == .acknowledge }),
            resolve: figures(records.filter { $0.target == .resolve }),
            reassignments: incidents.values.reduce(0) { $0 + $1.reassignments },
            reopened: incidents.values.filter(\.reopened).count,
            escalations: escalations,
            cost: prices.isEmpty ? nil : prices.reduce(0, +))
    }

    /// The figures of one target's records.
    static func figures(_ records: [SLARecord]) -> TargetFigures {
        let stopped = records.filter { $0.stoppedAt != nil }
        return TargetFigures(
            total: records.filter { $0.met != nil }.count,
            met: records.filter { $0.met == true }.count,
            breaches: records.filter { $0.met == false }.count,
            running: records.filter { $0.met == nil }.count,
            stopped: stopped.count,
            business: quantiles(stopped.map(\.businessSeconds)),
            wall: quantiles(stopped.map(\.wallSeconds)))
    }

    static func quantiles(_ values: [Int]) -> Quantiles? {
        let sorted = values.sorted()
        guard let median = percentile(50, of: sorted), let p90 = percentile(90, of: sorted) else { return nil }
        return Quantiles(median: median, p90: p90)
    }
}
