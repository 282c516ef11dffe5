/// How to reach one delivery target (a vendor's endpoint or a source's write-back): extra
/// headers and the signing key (by environment-variable *name*), the CA bundle that verifies its
/// TLS certificate, and how many deliveries to it may run at once.
public struct DeliveryTarget: Sendable, Equatable {
    /// The vendor's name, or `write-back:<source>`. Outbox messages carry it.
    public var name: String
    public var headerEnv: [String: String]
    public var signingSecretEnv: String?
    /// A PEM file of CA certificates to verify this target with instead of the system's.
    public var caBundle: String?
    /// Deliveries in flight to this target at once (`nil`: the dispatcher's default).
    public var maxConcurrency: Int?

    public init(
        name: String, headerEnv: [String: String] = [:], signingSecretEnv: String? = nil, caBundle: String? = nil,
        maxConcurrency: Int? = nil
    ) {
        self.name = name
        self.headerEnv = headerEnv
        self.signingSecretEnv = signingSecretEnv
        self.caBundle = caBundle
        self.maxConcurrency = maxConcurrency
    }
}

extension Vendor {
    /// The vendor's endpoint options as a delivery target named after the vendor.
    public var deliveryTarget: DeliveryTarget {
        DeliveryTarget(
            name: name, headerEnv: headerEnv, signingSecretEnv: signingSecretEnv, caBundle: caBundle,
            maxConcurrency: maxConcurrency)
    }
}
