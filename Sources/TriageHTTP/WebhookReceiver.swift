import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TriageCore
import TriageEngine

/// The front door: `POST /webhooks/{source}` and the drop-in `POST /api/v2/alerts` and `POST /v2/enqueue`.
///
/// Every request goes through the same steps, each with its own answer when it fails:
/// unknown source 404 · content type 415 · body over the limit 413 · credentials 401/403 ·
/// rate limit 429 with `Retry-After` · not JSON 400 · wrong shape 422 · store down 503.
/// A 2xx is sent only after the store's transaction has committed. Refused bodies are kept,
/// truncated and bounded, in the rejected-payload table (never headers, so never credentials).
public struct WebhookReceiver: Sendable {
    let sources: [String: SourceDefinition]
    let settings: IngestSettings
    let authenticator: SourceAuthenticator
    let limiter: RateLimiter
    let store: any IncidentStore
    let clock: any TriageClock
    let doorbell: Doorbell?
    let metrics: IngestMetrics
    /// Seals raw bodies (and kept rejected ones) before they are stored; `nil` stores them plain.
    let cipher: PayloadCipher?

    public init(
        sources: [SourceDefinition],
        settings: IngestSettings = IngestSettings(),
        environment: [String: String],
        store: any IncidentStore,
        clock: any TriageClock,
        doorbell: Doorbell? = nil,
        cipher: PayloadCipher? = nil
    ) {
        self.sources = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.settings = settings
        self.authenticator = SourceAuthenticator(sources: sources, environment: environment)
        self.limiter = RateLimiter(sources: sources)
        self.store = store
        self.clock = clock
        self.doorbell = doorbell
        self.metrics = IngestMetrics(sources: sources.map(\.name))
        self.cipher = cipher
    }

    /// Sources that accept requests from loopback only, because no credentials are set for them.
    public var unauthenticatedSources: [String] {
        sources.values.filter { !authenticator.hasSecret($0) }.map(\.name).sorted()
    }

    struct Accepted: Encodable {
        var incidents: [AcceptedIncident]
        var replayedDelivery: Bool?

        enum CodingKeys: String, CodingKey {
            case incidents
            case replayedDelivery = "replayed_delivery"
        }
    }

    func receive(_ request: Request, context: TriageRequestContext) async throws -> Response {
        let name = context.parameters.get("source") ?? ""
        guard let source = sources[name] else {
            let known = sources.keys.sorted().joined(separator: ", ")
            throw await refuse(
                APIError(.notFound, "unknown source '\(name.prefix(64))'; configured sources: \(known)"),
                source: String(name.prefix(64)), metricSource: "unknown", reason: "unknown_source", raw: nil,
                context: context)
        }
        let result = try await ingest(request, context: context, source: source) { body, now throws(PayloadError) in
            try source.drafts(from: body, now: now)
        }
        if result.receipt.replayedDelivery {
            return try JSONResponse.make(.ok, Accepted(incidents: [], replayedDelivery: true))
        }
        return Self.accepted(.accepted, result.receipt.incidents)
    }

    /// `POST /api/v2/alerts`: Alertmanager's alert API, as Prometheus posts it.
    func alertmanagerAPI(_ request: Request, context: TriageRequestContext) async throws -> Response {
        guard let name = settings.alertmanagerAPISource, let source = sources[name] else {
            throw APIError(.notFound, "the Alertmanager API is off; set compatibility.alertmanager_api in sources.yaml")
        }
        let result = try await ingest(request, context: context, source: source) { body, now throws(PayloadError) in
            try AlertmanagerAPIPayload.drafts(from: JSONCursor(try JSONValue.parse(body)), source: source.name, now: now)
        }
        return Self.accepted(.ok, result.receipt.incidents)
    }

    /// `{"incidents":[{"id":…,"outcome":…}]}`, written directly: ids and outcomes need no escaping,
    /// and this answer is on every webhook.
    static func accepted(_ status: HTTPResponse.Status, _ incidents: [AcceptedIncident]) -> Response {
        var text = #"{"incidents":["#
        for (index, incident) in incidents.enumerated() {
            if index > 0 { text += "," }
            text += #"{"id":""# + incident.id.rawValue + #"","outcome":""# + incident.outcome.rawValue + #""}"#
        }
        text += "]}"
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    struct Enqueued: Encodable {
        var status = "success"
        var message = "Event processed"
        var dedupKey: String?

        enum CodingKeys: String, CodingKey {
            case status, message
            case dedupKey = "dedup_key"
        }
    }

    /// `POST /v2/enqueue`: PagerDuty Events API v2, answered as PagerDuty answers (202, `dedup_key`).
    func pagerDutyEnqueue(_ request: Request, context: TriageRequestContext) async throws -> Response {
        guard let name = settings.pagerDutyEnqueueSource, let source = sources[name] else {
            throw APIError(.notFound, "the PagerDuty Events API is off; set compatibility.pagerduty_enqueue in sources.yaml")
        }
        let result = try await ingest(request, context: context, source: source) { body, now throws(PayloadError) in
            try source.drafts(from: body, now: now)
        }
        return try JSONResponse.make(.accepted, Enqueued(dedupKey: result.drafts.first?.dedupKey))
    }

    struct Ingested {
        var drafts: [IncidentDraft]
        var receipt: IntakeReceipt
    }

    /// The steps every webhook goes through, in the order that spends the least on bad requests.
    func ingest(
        _ request: Request,
        context: TriageRequestContext,
        source: SourceDefinition,
        decode: ([UInt8], Date) throws(PayloadError) -> [IncidentDraft]
    ) async throws -> Ingested {
        let contentType = request.headers[.contentType]
        if let contentType, !Self.isJSON(contentType) {
            throw await refuse(
                APIError(.unsupportedMediaType, "content type '\(contentType.prefix(100))' is not JSON; send application/json"),
                source: source.name, reason: "unsupported_media_type", raw: nil, context: context)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await Self.collect(request.body, upTo: settings.maxBodyBytes, within: settings.bodyTimeout)
        } catch is BodyTimeout {
            var error = APIError(
                .requestTimeout, "the body did not arrive within \(DurationText.format(settings.bodyTimeout)); send it at once",
                code: "body_timeout")
            error.headers = [.connection: "close"]
            throw await refuse(error, source: source.name, reason: "body_timeout", raw: nil, context: context)
        } catch {
            throw await refuse(
                APIError(.contentTooLarge, "body is larger than \(settings.maxBodyBytes) bytes"),
                source: source.name, reason: "too_large", raw: nil, context: context)
        }
        let now = clock.now()
        let raw = RawPayload(
            source: source.name, contentType: contentType, body: Array(buffer: buffer), receivedAt: now,
            deliveryID: source.deliveryIDHeader.flatMap { HTTPField.Name($0) }.flatMap { request.headers[$0] })
        do {
            try authenticator.check(
                source, headers: request.headers, body: raw.body, fromLoopback: context.isLoopback, now: now)
        } catch {
            throw await refuse(error, source: source.name, reason: "unauthorized", raw: nil, context: context)
        }
        if let wait = limiter.take(source.name, now: now) {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw await refuse(
                APIError(
                    .tooManyRequests, "source '\(source.name)' is over its rate limit; retry in \(seconds)s",
                    headers: [.retryAfter: "\(seconds)"]),
                source: source.name, reason: "rate_limited", raw: nil, context: context)
        }
        let drafts: [IncidentDraft]
        do {
            drafts = try decode(raw.body, now)
        } catch {
            let malformed = error.kind == .malformed
            throw await refuse(
                APIError(
                    malformed ? .badRequest : .unprocessableContent,
                    "\(source.kind.rawValue) payload: \(error.path): \(error.message)",
                    code: malformed ? "malformed_body" : "invalid_payload", path: error.path),
                source: source.name, reason: malformed ? "malformed" : "invalid_shape", raw: raw, context: context)
        }
        let receipt: IntakeReceipt
        do {
            var stored = raw
            if let cipher { stored.body = try cipher.seal(raw.body) }
            receipt = try await store.accept(Intake(drafts: drafts, raw: stored, refire: source.refire, feedback: source.feedback))
        } catch {
            context.logger.error("store refused webhook", metadata: ["source": "\(source.name)", "error": "\(error)"])
            metrics.count(source.name, outcome: "rejected", reason: "store_unavailable")
            throw APIError(.serviceUnavailable, "could not store the webhook; nothing was kept, retry later")
        }
        if receipt.replayedDelivery {
            metrics.count(source.name, outcome: "replayed", reason: nil)
            context.logger.notice(
                "replayed delivery dropped", metadata: ["source": "\(source.name)", "delivery": "\(raw.deliveryID ?? "")"])
        } else {
            doorbell?.ring()
            metrics.count(source.name, outcome: "accepted", reason: nil)
        }
        return Ingested(drafts: drafts, receipt: receipt)
    }

    /// Counts, logs and keeps (bounded) a refused request, and hands back the error to throw.
    func refuse(
        _ error: APIError, source: String, metricSource: String? = nil, reason: String, raw: RawPayload?,
        context: TriageRequestContext
    ) async -> APIError {
        metrics.count(metricSource ?? source, outcome: "rejected", reason: reason)
        context.logger.notice(
            "webhook refused", metadata: ["source": "\(source)", "status": "\(error.status.code)", "error": "\(error.message)"])
        // Bodies are kept only once the sender is authenticated; a refused stranger leaves a reason only.
        let kept =
            raw.map { RejectedPayload(raw: $0, status: Int(error.status.code), reason: error.message) }
            ?? RejectedPayload(
                source: source, status: Int(error.status.code), reason: error.message, contentType: nil, body: "",
                bodyBytes: 0, truncated: false, receivedAt: clock.now())
        do {
            var redacted = Self.redacted(kept)
            if let cipher, !redacted.body.isEmpty { redacted.body = try cipher.sealText(redacted.body) }
            try await store.recordRejected(redacted, keep: settings.keepRejected)
        } catch let storeError {
            // The sender's mistake is answered as such even when keeping it fails.
            context.logger.error("could not keep rejected payload", metadata: ["source": "\(source)", "error": "\(storeError)"])
        }
        return error
    }

    /// JSON and the text types some senders use for JSON bodies.
    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || type.hasSuffix("+json") || type == "text/json" || type == "text/plain"
            || type.isEmpty
    }

    /// A PagerDuty `routing_key` is a credential; it is blanked in kept bodies.
    static func redacted(_ rejected: RejectedPayload) -> RejectedPayload {
        var copy = rejected
        guard let range = copy.body.range(of: "\"routing_key\"") else { return copy }
        let rest = copy.body[range.upperBound...]
        guard let open = rest.firstIndex(of: "\""),
            let close = rest[rest.index(after: open)...].firstIndex(of: "\"")
        else { return copy }
        copy.body.replaceSubrange(rest.index(after: open)..<close, with: "[redacted]")
        return copy
    }
}
