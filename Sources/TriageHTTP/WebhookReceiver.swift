import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import TriageCore
import TriageEngine

/// `POST /webhooks/{source}`: authenticate, decode, store durably, answer 202 with the ids.
///
/// The answer is sent only after the store's transaction is on disk; a body that cannot be used
/// is kept in the rejected-payload table with the reason and answered 400.
public struct WebhookReceiver: Sendable {
    let sources: [String: SourceDefinition]
    /// Token per source name, read once from the environment at start-up. Never logged.
    let tokens: [String: String]
    let store: any IncidentStore
    let clock: any TriageClock
    let doorbell: Doorbell?
    let maxBodyBytes: Int

    public init(
        sources: [SourceDefinition],
        environment: [String: String],
        store: any IncidentStore,
        clock: any TriageClock,
        doorbell: Doorbell? = nil,
        maxBodyBytes: Int = 1 << 20
    ) {
        self.sources = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var tokens: [String: String] = [:]
        for source in sources {
            if let variable = source.tokenEnv, let token = environment[variable], !token.isEmpty {
                tokens[source.name] = token
            }
        }
        self.tokens = tokens
        self.store = store
        self.clock = clock
        self.doorbell = doorbell
        self.maxBodyBytes = maxBodyBytes
    }

    /// Sources that accept requests from loopback only, because no token is set for them.
    public var unauthenticatedSources: [String] {
        sources.keys.filter { tokens[$0] == nil }.sorted()
    }

    struct Accepted: Encodable {
        var incidents: [AcceptedIncident]
    }

    func receive(_ request: Request, context: TriageRequestContext) async throws -> Response {
        let name = context.parameters.get("source") ?? ""
        guard let source = sources[name] else {
            let known = sources.keys.sorted().joined(separator: ", ")
            throw APIError(.notFound, "unknown source '\(name)'; configured sources: \(known)")
        }
        try authenticate(request.headers, fromLoopback: context.isLoopback, source: source)
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "body is larger than \(maxBodyBytes) bytes")
        }
        let raw = RawPayload(
            source: source.name,
            contentType: request.headers[.contentType],
            body: Array(buffer: buffer),
            receivedAt: clock.now()
        )
        let drafts: [IncidentDraft]
        do {
            drafts = try source.drafts(from: raw.body)
        } catch {
            // The sender's mistake is answered as such even when keeping the body fails.
            do {
                try await store.recordRejected(raw, reason: error.description)
            } catch let storeError {
                context.logger.error(
                    "could not keep rejected payload", metadata: ["source": "\(source.name)", "error": "\(storeError)"])
            }
            Counter(label: "triage_webhooks_total", dimensions: [("source", source.name), ("outcome", "rejected")])
                .increment()
            context.logger.notice(
                "webhook rejected", metadata: ["source": "\(source.name)", "error": "\(error.description)"])
            throw APIError(.badRequest, "\(source.kind.rawValue) payload: \(error.message)", path: error.path)
        }
        let accepted: [AcceptedIncident]
        do {
            accepted = try await store.accept(drafts, raw: raw)
        } catch {
            context.logger.error("store refused webhook", metadata: ["source": "\(source.name)", "error": "\(error)"])
            throw APIError(.serviceUnavailable, "could not store the incident; retry later")
        }
        doorbell?.ring()
        Counter(label: "triage_webhooks_total", dimensions: [("source", source.name), ("outcome", "accepted")])
            .increment()
        return try JSONResponse.make(.accepted, Accepted(incidents: accepted))
    }

    /// Checks the sender: the source's bearer token when one is set, else a loopback peer.
    public func authenticate(_ headers: HTTPFields, fromLoopback: Bool, source: SourceDefinition) throws(APIError) {
        guard let expected = tokens[source.name] else {
            guard fromLoopback else {
                throw APIError(
                    .forbidden,
                    "source '\(source.name)' has no token configured; only loopback senders are accepted"
                )
            }
            return
        }
        let presented: String? =
            if let auth = headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
                String(auth.dropFirst(7))
            } else {
                headers[HTTPField.Name("X-Triage-Token")!]
            }
        guard let presented, Self.constantTimeEquals(presented, expected) else {
            throw APIError(.unauthorized, "missing or wrong token for source '\(source.name)'")
        }
    }

    /// Compares without an early exit, so timing does not reveal how much of a token matched.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = SHA256.hash(data: Data(a.utf8))
        let right = SHA256.hash(data: Data(b.utf8))
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
