import FoundationEssentials

/// One incident as the assigner sees it: what it is about, how urgent, what a rule decided, and
/// the instant the decision is made at.
///
/// `category`, `service` and `group` are the request's *scope*: a vendor matches by skill when
/// any of them is in its `skills`, `services` or `groups` (case-insensitive). Empty strings
/// count as absent.
public struct AssignmentRequest: Sendable, Equatable {
    /// The category (from a rule or the classifier), matched against ``Vendor/skills``.
    public var category: String?
    /// The incident's service, matched against ``Vendor/services``.
    public var service: String?
    /// The assignment group, matched against ``Vendor/groups``.
    public var group: String?
    /// The language the reporter writes in (`fr`, `en-GB`), matched against ``Vendor/languages``.
    public var language: String?
    public var priority: Priority
    /// The vendor a rule named: it wins when eligible (no skill filter), else its backup chain.
    public var pinned: String?
    /// The vendors a rule restricted the choice to; empty = all.
    public var pool: [String]
    /// The instant contracts, business hours and holidays are tested at.
    public var now: Date

    public init(
        category: String? = nil, service: String? = nil, group: String? = nil, language: String? = nil,
        priority: Priority, pinned: String? = nil, pool: [String] = [], now: Date
    ) {
        self.category = category
        self.service = service
        self.group = group
        self.language = language
        self.priority = priority
        self.pinned = pinned
        self.pool = pool
        self.now = now
    }

    /// Whether the request names any of category, service or group (non-empty).
    public var hasScope: Bool {
        !(category ?? "").isEmpty || !(service ?? "").isEmpty || !(group ?? "").isEmpty
    }
}
