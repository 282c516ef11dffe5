/// A provider under contract: what it can handle, where to deliver to it, and what it promised.
public struct Vendor: Sendable, Equatable {
    public var name: String
    /// The URL incidents are POSTed to.
    public var endpoint: String
    /// Categories this vendor handles ("database", "network", …).
    public var skills: [String]
    /// The vendor's price per incident in the contract's unit; lower wins among equals.
    public var cost: Double
    /// The vendor to hand over to when this one cannot take an incident (used by later stages).
    public var backup: String?
    public var contract: Contract
    /// Extra headers for every delivery; values are environment-variable *names*, never secrets.
    public var headerEnv: [String: String]
    /// Name of the environment variable holding the HMAC key that signs deliveries, if any.
    public var signingSecretEnv: String?
    /// Applications or services it runs (matched against the incident's service, case-insensitive).
    public var services: [String] = []
    /// Assignment groups it takes (the classifier's labels when it predicts assignment groups).
    public var groups: [String] = []
    /// Languages its agents work in (ISO codes such as `en`, `fr`, `de`); empty = any.
    public var languages: [String] = []
    /// Priorities it accepts; empty = all.
    public var priorities: [Priority] = []
    /// Its working hours; `nil` = 24×7.
    public var calendar: BusinessCalendar?
    /// Priorities it may only receive while inside its business hours (P1 and P2 need someone
    /// working now, by default).
    public var hoursRequiredFor: [Priority] = [.p1, .p2]
    /// Maximum open incidents at once; `nil` = unlimited.
    public var capacity: Int?
    /// Maximum open incidents per priority.
    public var capacityByPriority: [Priority: Int] = [:]
    /// Price per incident by priority (else `cost`).
    public var costByPriority: [Priority: Double] = [:]
    /// First and last day of the contract (inclusive, in the vendor's time zone or UTC).
    public var contractStart: LocalDate?
    public var contractEnd: LocalDate?
    /// `false` during maintenance: receives nothing.
    public var enabled: Bool = true
    /// What the vendor receives: triage's JSON, a Jira or ServiceNow body, a Slack message or a template.
    public var payloadFormat: PayloadFormat = .generic
    /// Where deliveries go while `endpoint`'s circuit breaker is open.
    public var fallbackEndpoint: String?
    /// A PEM CA bundle that verifies the endpoint's certificate (private CAs); `nil`: the system's.
    public var caBundle: String?
    /// Deliveries to this vendor in flight at once; `nil`: the dispatcher's default.
    public var maxConcurrency: Int?
    /// How the vendor proves who it is when it calls `POST /api/incidents/{id}/events`: a bearer
    /// token, or an HMAC key signing like our deliveries (environment-variable names).
    public var callbackTokenEnv: String?
    public var callbackSecretEnv: String?
    /// Vendors of the same share group split the incidents they could both take by these shares
    /// (e.g. 70/30 to benchmark two vendors on one scope).
    public var shareGroup: String?
    public var share: Double?
    /// The redaction profile applied to everything sent about its incidents (dispatches,
    /// escalation notices, write-backs); `nil`: none (vendors.yaml `redaction:` of the vendor).
    public var redaction: RedactionProfile?
    /// The incident fields it may receive; `nil`: all (vendors.yaml `fields:` of the vendor).
    public var fields: FieldAllowList?

    public init(
        name: String,
        endpoint: String,
        skills: [String] = [],
        cost: Double = 0,
        backup: String? = nil,
        contract: Contract = Contract(),
        headerEnv: [String: String] = [:],
        signingSecretEnv: String? = nil
    ) {
        self.name = name
        self.endpoint = endpoint
        self.skills = skills
        self.cost = cost
        self.backup = backup
        self.contract = contract
        self.headerEnv = headerEnv
        self.signingSecretEnv = signingSecretEnv
    }

    /// The price of one incident at `priority`.
    public func cost(for priority: Priority) -> Double { costByPriority[priority] ?? cost }

    /// Whether this vendor lists `category` among its skills (case-insensitive).
    public func handles(_ category: String) -> Bool {
        skills.contains { $0.equalsIgnoringCase(category) }
    }
}

extension String {
    func equalsIgnoringCase(_ other: String) -> Bool {
        self.lowercased() == other.lowercased()
    }
}
