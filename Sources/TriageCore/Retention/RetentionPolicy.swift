import FoundationEssentials

/// How long stored data is kept (`retention.yaml`): an age per kind of data, overrides per source or
/// vendor, and what happens to closed incidents. Pure: every decision takes `now`.
///
/// ```yaml
/// retention:
///   check_every: 1h
///   raw_payloads: 30d
///   closed_incidents: 400d
///   closed_incident_action: purge   # or redact
///   rejected_payloads: 7d
///   delivered_messages: 7d
///   overrides:                      # first match wins; a field not given falls back to the defaults
///     - source: alertmanager
///       raw_payloads: 7d
///     - vendor: acme
///       closed_incidents: 90d
/// ```
///
/// An age left out keeps that kind for ever (as without `retention.yaml`). Open incidents are never
/// purged; closed ones count from when they were resolved (or, suppressed, last seen).
public struct RetentionPolicy: Sendable, Equatable {
    /// What happens to a closed incident once it is old enough.
    public enum ClosedIncidentAction: String, Sendable, Codable, CaseIterable {
        /// The incident, its events, outbox messages, timers and payload are deleted. Its SLA clocks
        /// (terms and times, no incident text) move to the SLA archive first, so reports still count them.
        case purge
        /// The row stays with its SLA record; its title, description, free-text labels, event
        /// details, payload and message bodies are blanked.
        case redact
    }

    /// An age per kind; `nil` keeps that kind for ever (or, in an override, falls back to the default).
    public struct Ages: Sendable, Equatable {
        public var rawPayloads: Duration?
        public var closedIncidents: Duration?
        public var rejectedPayloads: Duration?
        public var deliveredMessages: Duration?

        /// Ages per kind; each left out is `nil`.
        public init(
            rawPayloads: Duration? = nil, closedIncidents: Duration? = nil, rejectedPayloads: Duration? = nil,
            deliveredMessages: Duration? = nil
        ) {
            self.rawPayloads = rawPayloads
            self.closedIncidents = closedIncidents
            self.rejectedPayloads = rejectedPayloads
            self.deliveredMessages = deliveredMessages
        }

        /// The age of `kind`.
        public subscript(kind: RetentionKind) -> Duration? {
            get {
                switch kind {
                case .rawPayloads: rawPayloads
                case .closedIncidents: closedIncidents
                case .rejectedPayloads: rejectedPayloads
                case .deliveredMessages: deliveredMessages
                }
            }
            set {
                switch kind {
                case .rawPayloads: rawPayloads = newValue
                case .closedIncidents: closedIncidents = newValue
                case .rejectedPayloads: rejectedPayloads = newValue
                case .deliveredMessages: deliveredMessages = newValue
                }
            }
        }
    }

    /// Other ages for one source, one vendor, or one vendor's incidents from one source.
    public struct Override: Sendable, Equatable {
        /// The source it applies to; `nil`: any.
        public var source: String?
        /// The vendor it applies to (the incident's assigned vendor); `nil`: any.
        public var vendor: String?
        /// Ages given here; a kind left out takes the default age.
        public var ages: Ages

        /// An override for `source`, `vendor` or both.
        public init(source: String? = nil, vendor: String? = nil, ages: Ages) {
            self.source = source
            self.vendor = vendor
            self.ages = ages
        }
    }

    /// Time between two sweeps.
    public var checkEvery: Duration
    /// The ages of data no override matches.
    public var defaults: Ages
    public var closedIncidentAction: ClosedIncidentAction
    /// In file order: the first that matches decides.
    public var overrides: [Override]

    /// A policy; the defaults keep everything and sweep hourly.
    public init(
        checkEvery: Duration = .seconds(3600), defaults: Ages = Ages(), closedIncidentAction: ClosedIncidentAction = .purge,
        overrides: [Override] = []
    ) {
        self.checkEvery = checkEvery
        self.defaults = defaults
        self.closedIncidentAction = closedIncidentAction
        self.overrides = overrides
    }

    /// How long data of `kind` from `source`, handled by `vendor`, is kept; `nil`: for ever.
    public func age(_ kind: RetentionKind, source: String?, vendor: String?) -> Duration? {
        for override in overrides
        where RetentionCutoffs.Rule(source: override.source, vendor: override.vendor, before: nil)
            .matches(source: source, vendor: vendor)
        {
            return override.ages[kind] ?? defaults[kind]
        }
        return defaults[kind]
    }

    /// Whether data of `kind` from `source`, handled by `vendor` and dated `at` (received; for a
    /// closed incident, when it closed; for a message, when it ended) is due at `now`: strictly
    /// older than its age.
    public func due(_ kind: RetentionKind, source: String?, vendor: String?, at: Date, now: Date) -> Bool {
        cutoffs(kind, now: now).due(source: source, vendor: vendor, at: at)
    }

    /// The cutoffs of `kind` at `now`, in the form stores apply.
    public func cutoffs(_ kind: RetentionKind, now: Date) -> RetentionCutoffs {
        func instant(_ age: Duration?) -> Date? { age.map { now.addingTimeInterval(-$0.timeInterval) } }
        return RetentionCutoffs(
            rules: overrides.map {
                RetentionCutoffs.Rule(source: $0.source, vendor: $0.vendor, before: instant($0.ages[kind] ?? defaults[kind]))
            },
            otherwise: instant(defaults[kind]))
    }

    /// Whether no kind can ever be due (a `retention.yaml` that only sets `check_every`).
    public var keepsEverything: Bool {
        RetentionKind.allCases.allSatisfy { kind in defaults[kind] == nil && overrides.allSatisfy { $0.ages[kind] == nil } }
    }

    /// The labels a redacted incident keeps: those whose value is a short identifier (1 to 64
    /// letters, digits, `.`, `_` or `-`, such as `env=prod` or `alertname=HighCPU`). Free text, and
    /// anything holding `@`, `:`, `/`, spaces or other punctuation (addresses, URLs, sentences), goes.
    public static func redactedLabels(_ labels: [String: String]) -> [String: String] {
        labels.filter { _, value in
            (1...64).contains(value.utf8.count)
                && value.unicodeScalars.allSatisfy { scalar in
                    switch scalar {
                    case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
                    default: false
                    }
                }
        }
    }
}
