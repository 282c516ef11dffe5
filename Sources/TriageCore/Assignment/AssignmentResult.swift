/// The vendor chosen for one incident (or the internal queue), every candidate considered, and
/// the explanation lines.
public struct AssignmentResult: Sendable, Equatable {
    /// Which rule made the choice.
    public enum Route: String, Sendable, Equatable {
        /// The vendor a rule named was eligible.
        case pinned
        /// The named vendor was not, and a vendor of its backup chain was.
        case backup
        /// The best-scoring vendor belongs to a share group: the member furthest below its share won.
        case shareSplit
        /// The highest score among eligible vendors (ties: lower cost, then name).
        case highestScore
        /// Nobody was eligible; the configured default vendor was.
        case defaultVendor
        /// Nobody at all was eligible: the incident goes to the internal queue (alert).
        case internalQueue
    }

    /// The chosen vendor; `nil` only when ``toInternalQueue`` is `true`.
    public var vendor: Vendor?
    /// `true` when no vendor, not even the default, was eligible: the incident goes to
    /// ``AssignmentWeights/internalQueue`` and someone should be alerted.
    public var toInternalQueue: Bool
    public var route: Route
    /// One report per vendor considered, in the order they were considered (empty when the
    /// assigner was asked not to explain).
    public var candidates: [CandidateReport]
    /// The explanation: each candidate with why it was excluded or its score and parts, then what
    /// was chosen and why. With ``toInternalQueue`` the last line starts with `ALERT:`.
    public var reasons: [String]

    public init(
        vendor: Vendor?, toInternalQueue: Bool, route: Route, candidates: [CandidateReport], reasons: [String]
    ) {
        self.vendor = vendor
        self.toInternalQueue = toInternalQueue
        self.route = route
        self.candidates = candidates
        self.reasons = reasons
    }
}
