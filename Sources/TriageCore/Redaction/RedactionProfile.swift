/// A named set of redaction rules (vendors.yaml `redaction.profiles.NAME`), applied to what a
/// vendor receives, and to dry-run reports and exports on request.
///
/// ```yaml
/// redaction:
///   key_env: TRIAGE_REDACTION_KEY
///   profiles:
///     standard:
///       rules: [email, phone, iban, card, ipv4, ipv6, secret]
///       mode: mask
///       custom: [{name: employee-id, pattern: 'EMP-[0-9]{6}', mode: hash}]
///       drop_fields: [labels.customer_email]
/// ```
public struct RedactionProfile: Sendable, Equatable {
    /// The profile's name in the configuration.
    public var name: String
    /// Built-in and user rules, in the order written.
    public var rules: [RedactionRule]
    /// Outbound fields left out whatever they hold (``FieldAllowList`` names: `labels.customer_email`).
    public var dropFields: [String]
    /// The keyed hash's key; needed when a rule's mode is `hash`.
    public var key: RedactionKey?

    /// - Parameters:
    ///   - name: The profile's name in the configuration.
    ///   - rules: What to find and how to replace it.
    ///   - dropFields: Fields never sent.
    ///   - key: The hash key (required when a rule hashes).
    public init(name: String, rules: [RedactionRule], dropFields: [String] = [], key: RedactionKey? = nil) {
        self.name = name
        self.rules = rules
        self.dropFields = dropFields
        self.key = key
    }

    /// Whether some rule's mode is `hash`, so a key is needed.
    public var hashes: Bool { rules.contains { $0.mode == .hash } }
}
