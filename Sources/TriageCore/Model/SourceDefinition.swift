/// A configured webhook source: the `{name}` in `/webhooks/{name}`, how to decode it, and how
/// senders prove who they are.
public struct SourceDefinition: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The documented generic JSON (``GenericPayload``).
        case generic
        /// Prometheus Alertmanager webhook v4 (``AlertmanagerPayload``).
        case alertmanager
    }

    public var name: String
    public var kind: Kind
    /// Name of the environment variable holding the bearer token senders must present.
    /// When unset, or when the variable is empty, the source accepts requests from loopback only.
    public var tokenEnv: String?

    public init(name: String, kind: Kind, tokenEnv: String? = nil) {
        self.name = name
        self.kind = kind
        self.tokenEnv = tokenEnv
    }

    /// Decodes a webhook body of this source's kind.
    public func drafts(from body: [UInt8]) throws(PayloadError) -> [IncidentDraft] {
        switch kind {
        case .generic: try GenericPayload.drafts(from: body, source: name)
        case .alertmanager: try AlertmanagerPayload.drafts(from: body, source: name)
        }
    }
}
