import FoundationEssentials

/// One kind's retention at one instant, as stores apply it: an ordered list of rules, each an
/// instant before which matching data is due, and the instant for data no rule matches.
///
/// The first rule whose `source` and `vendor` both match (a `nil` one matches anything) decides;
/// `nil` as an instant keeps the data for ever. Data dated exactly at the cutoff is kept: only what
/// is strictly older than the age is due. A store turns the rules into one SQL `CASE`, in order,
/// so it purges exactly what ``due(source:vendor:at:)`` says.
public struct RetentionCutoffs: Sendable, Equatable {
    /// One override, resolved to an instant.
    public struct Rule: Sendable, Equatable {
        public var source: String?
        public var vendor: String?
        /// Data matching the rule and dated before this is due; `nil`: kept.
        public var before: Date?

        /// A rule for `source` and `vendor` (`nil`: any) with its cutoff.
        public init(source: String?, vendor: String?, before: Date?) {
            self.source = source
            self.vendor = vendor
            self.before = before
        }

        /// Whether data of `source` handled by `vendor` falls under this rule. Data without a
        /// vendor (not assigned, a rejected request) never matches a rule that names one.
        public func matches(source: String?, vendor: String?) -> Bool {
            (self.source == nil || self.source == source) && (self.vendor == nil || self.vendor == vendor)
        }
    }

    public var rules: [Rule]
    /// The cutoff of data no rule matches; `nil`: kept.
    public var otherwise: Date?

    /// Cutoffs from rules in order and the cutoff of data no rule matches.
    public init(rules: [Rule], otherwise: Date?) {
        self.rules = rules
        self.otherwise = otherwise
    }

    /// The cutoff that applies to data of `source` handled by `vendor`.
    public func before(source: String?, vendor: String?) -> Date? {
        for rule in rules where rule.matches(source: source, vendor: vendor) { return rule.before }
        return otherwise
    }

    /// Whether data of `source` handled by `vendor`, dated `at`, is due.
    public func due(source: String?, vendor: String?, at: Date) -> Bool {
        guard let cutoff = before(source: source, vendor: vendor) else { return false }
        return at < cutoff
    }

    /// The latest cutoff of all: nothing dated at or after it is due (stores use it to bound an
    /// index scan). `nil` when everything is kept.
    public var latest: Date? {
        (rules.map(\.before) + [otherwise]).compactMap { $0 }.max()
    }

    /// Whether nothing can be due: no rule and no default has an age.
    public var keepsEverything: Bool { latest == nil }
}
