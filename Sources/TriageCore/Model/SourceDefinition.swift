import FoundationEssentials

/// A configured webhook source: the `{name}` in `/webhooks/{name}`, how to decode it, how senders
/// prove who they are, how fast they may send, and what a re-fire after resolution does.
public struct SourceDefinition: Sendable, Equatable {
    public var name: String
    public var kind: SourceKind
    public var auth: SourceAuth
    /// Header carrying the sender's delivery id (GitHub: `X-GitHub-Delivery`); a repeated id is a
    /// replay and is answered without storing anything.
    public var deliveryIDHeader: String?
    public var rateLimit: RateLimit?
    public var refire: RefirePolicy
    /// For `generic` sources: read any JSON through these paths instead of the documented format.
    public var mapping: FieldMapping?
    /// For ticketing sources: post the assignment back to the ticket.
    public var writeBack: WriteBack?
    /// A vendor's own webhooks: news about incidents we sent it, not new incidents.
    public var feedback: VendorFeedback?

    public init(
        name: String,
        kind: SourceKind,
        auth: SourceAuth = .none,
        deliveryIDHeader: String? = nil,
        rateLimit: RateLimit? = nil,
        refire: RefirePolicy = .reopen(within: 86_400),
        mapping: FieldMapping? = nil
    ) {
        self.name = name
        self.kind = kind
        self.auth = auth
        self.deliveryIDHeader = deliveryIDHeader
        self.rateLimit = rateLimit
        self.refire = refire
        self.mapping = mapping
    }

    /// Decodes a webhook body of this source's kind.
    public func drafts(from body: [UInt8], now: Date) throws(PayloadError) -> [IncidentDraft] {
        try kind.drafts(from: body, source: name, mapping: mapping, now: now)
    }
}

/// What a trigger whose dedup key matches a *resolved* incident does.
public enum RefirePolicy: Sendable, Equatable {
    /// Reopen the most recent resolved incident when it was resolved less than this many seconds
    /// ago; otherwise open a new one.
    case reopen(within: TimeInterval)
    /// Always open a new incident.
    case create
}

/// How a source's senders authenticate. Secrets are named by environment variable, never written
/// in configuration; a source whose secret variable is unset or empty refuses every request.
public enum SourceAuth: Sendable, Equatable {
    /// No credentials: only loopback senders are accepted.
    case none
    /// `Authorization: Bearer <token>` (or `X-Triage-Token: <token>`).
    case bearer(secretEnv: String)
    /// HTTP basic authentication with a fixed user name and a password from the environment.
    case basic(username: String, passwordEnv: String)
    /// An HMAC-SHA256 of the raw body (optionally with a timestamp) in a header.
    case hmac(HMACScheme)
    /// PagerDuty Events API v2: the body's `routing_key` must equal the secret.
    case routingKey(secretEnv: String)

    /// The environment variable holding the secret, if any.
    public var secretEnv: String? {
        switch self {
        case .none: nil
        case .bearer(let env), .routingKey(let env): env
        case .basic(_, let env): env
        case .hmac(let scheme): scheme.secretEnv
        }
    }

    /// The name used in configuration and in error messages.
    public var typeName: String {
        switch self {
        case .none: "none"
        case .bearer: "bearer"
        case .basic: "basic"
        case .hmac: "hmac"
        case .routingKey: "routing_key"
        }
    }
}

/// An HMAC-SHA256 signature header, as GitHub (`X-Hub-Signature-256: sha256=<hex>`) and Grafana
/// (`X-Grafana-Alerting-Signature: <hex>`, optionally over `<timestamp>:<body>`) send it.
public struct HMACScheme: Sendable, Equatable {
    public var secretEnv: String
    public var header: String
    /// Text before the signature in the header value (`sha256=` for GitHub).
    public var prefix: String
    public var encoding: Encoding
    /// Header carrying a Unix timestamp in seconds that is signed as `<timestamp>:<body>`.
    public var timestampHeader: String?
    /// How far a signed timestamp may be from now, either way, before the request is a replay.
    public var tolerance: TimeInterval

    public enum Encoding: String, Sendable, Equatable, CaseIterable {
        case hex
        case base64
    }

    public init(
        secretEnv: String,
        header: String = "X-Hub-Signature-256",
        prefix: String = "sha256=",
        encoding: Encoding = .hex,
        timestampHeader: String? = nil,
        tolerance: TimeInterval = 300
    ) {
        self.secretEnv = secretEnv
        self.header = header
        self.prefix = prefix
        self.encoding = encoding
        self.timestampHeader = timestampHeader
        self.tolerance = tolerance
    }

    /// The bytes that are signed: the body, or `<timestamp>:<body>` when a timestamp header is set.
    public func signedBytes(body: [UInt8], timestamp: String?) -> [UInt8] {
        guard let timestamp else { return body }
        return Array(timestamp.utf8) + [UInt8(ascii: ":")] + body
    }

    /// Whether a signed timestamp (Unix seconds) is within the tolerance of `now`.
    public func isFresh(timestamp: String, now: Date) -> Bool {
        guard let seconds = Double(timestamp.trimmedSpaces), seconds.isFinite else { return false }
        return abs(now.timeIntervalSince1970 - seconds) <= tolerance
    }
}
