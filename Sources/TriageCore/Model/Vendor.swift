/// A provider under contract: what it can handle, where to deliver to it, and what it promised.
public struct Vendor: Sendable, Equatable, Codable {
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
