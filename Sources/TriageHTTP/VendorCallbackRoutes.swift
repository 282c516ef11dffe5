import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TriageCore
import TriageEngine

/// `POST /api/incidents/{id}/events`: vendors (and operators) acknowledge, resolve, close,
/// reopen, pause, resume, comment or ask for a reassignment.
///
/// A vendor names itself in `X-Triage-Vendor` and proves it with its `callback` credentials: a
/// bearer token, or `X-Triage-Timestamp` and `X-Triage-Signature: sha256=<hex HMAC-SHA256(secret,
/// "<timestamp>.<body>")>` within 5 minutes (the scheme of our own deliveries). Only the vendor the
/// incident is assigned to may act on it. An operator uses the admin token instead. `event_id` makes
/// a retry harmless: the same id from the same sender is answered with what it did the first time.
public struct VendorCallbackRoutes: Sendable {
    let lifecycle: any LifecycleStore
    let incidents: any IncidentStore
    let vendors: @Sendable () -> [Vendor]
    let environment: [String: String]
    let clock: any TriageClock
    /// Rung after a resume so the SLA watcher plans the timers at once.
    let watcherBell: Doorbell?

    public init(
        lifecycle: any LifecycleStore, incidents: any IncidentStore, vendors: @escaping @Sendable () -> [Vendor],
        environment: [String: String], clock: any TriageClock, watcherBell: Doorbell? = nil
    ) {
        self.lifecycle = lifecycle
        self.incidents = incidents
        self.vendors = vendors
        self.environment = environment
        self.clock = clock
        self.watcherBell = watcherBell
    }

    struct Body: Decodable {
        var event_id: String?
        var action: String
        var actor: String?
        var comment: String?
    }

    struct Answer: Encodable {
        var incident: String
        var outcome: String
        var from: String?
        var to: String?
        var previous: String?
    }

    func add(to router: Router<TriageRequestContext>, admin: AdminRoutes) {
        router.post("/api/incidents/:id/events") { request, context in
            var request = request
            let bytes = Array(buffer: try await request.collectBody(upTo: 64 * 1024))
            let text = context.parameters.get("id") ?? ""
            // Credentials first: an unauthenticated caller learns nothing, not even whether the incident exists.
            let sender = try authenticate(request.headers, body: bytes, loopback: context.isLoopback, admin: admin)
            guard let id = IncidentID(text), let detail = try await incidents.incident(id) else {
                throw APIError(.notFound, "no incident \(text)")
            }
            if sender != "operator", sender != "vendor:\(detail.decision?.vendor ?? "")" {
                throw APIError(.forbidden, "\(sender) is not the vendor incident \(text) is assigned to")
            }
            guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)) else {
                throw APIError(.badRequest, #"expected {"event_id": "…", "action": "acknowledge", "actor": "…", "comment": "…"}"#)
            }
            guard let action = LifecycleAction(rawValue: body.action), ![.triage, .assign, .suppress, .reassign].contains(action)
            else {
                throw APIError(
                    .badRequest,
                    "action '\(body.action)' is not one of acknowledge, resolve, close, reopen, pause, resume, comment, reassign-request")
            }
            if sender != "operator", (body.event_id ?? "").isEmpty {
                throw APIError(.badRequest, "event_id is required: it makes a retried callback harmless")
            }
            let outcome = try await lifecycle.apply(
                LifecycleRequest(
                    incidentID: id, action: action, sender: sender, eventID: body.event_id, actor: body.actor ?? sender,
                    comment: body.comment, at: clock.now()))
            switch outcome {
            case .applied(let from, let to):
                if action == .resume { watcherBell?.ring() }
                return try JSONResponse.make(.ok, Answer(incident: text, outcome: "applied", from: from.rawValue, to: to.rawValue))
            case .duplicate(let previous):
                return try JSONResponse.make(.ok, Answer(incident: text, outcome: "duplicate", previous: previous))
            case .refused(let error):
                throw APIError(.conflict, error.description, code: "illegal_transition")
            case .unknownIncident:
                throw APIError(.notFound, "no incident \(text)")
            }
        }
    }

    /// `vendor:<name>` for a vendor's valid credentials, `operator` for the admin token.
    func authenticate(_ headers: HTTPFields, body: [UInt8], loopback: Bool, admin: AdminRoutes) throws(APIError) -> String {
        guard let name = headers[HTTPField.Name("X-Triage-Vendor")!] else {
            try admin.authorize(headers, loopback: loopback)
            return "operator"
        }
        guard let vendor = vendors().first(where: { $0.name == name }) else {
            throw APIError(.unauthorized, "unknown vendor '\(name)'")
        }
        if let variable = vendor.callbackTokenEnv, let token = environment[variable], !token.isEmpty,
            let presented = headers[.authorization], presented.lowercased().hasPrefix("bearer "),
            SourceAuthenticator.constantTimeEquals(Array(presented.dropFirst(7).utf8), Array(token.utf8))
        {
            return "vendor:\(name)"
        }
        if let variable = vendor.callbackSecretEnv, let secret = environment[variable], !secret.isEmpty,
            let stamp = headers[HTTPField.Name(DeliverySignature.timestampHeader)!], let timestamp = Int(stamp),
            let signature = headers[HTTPField.Name(DeliverySignature.signatureHeader)!]
        {
            let now = Int(clock.now().timeIntervalSince1970)
            guard abs(now - timestamp) <= 300 else {
                throw APIError(.unauthorized, "signature timestamp is outside the 300s window for vendor '\(name)'")
            }
            let expected = "sha256=" + DeliverySignature.sign(secret: secret, body: body, timestamp: timestamp)
            if SourceAuthenticator.constantTimeEquals(Array(signature.utf8), Array(expected.utf8)) { return "vendor:\(name)" }
        }
        if vendor.callbackTokenEnv == nil, vendor.callbackSecretEnv == nil {
            throw APIError(.unauthorized, "vendor '\(name)' has no callback credentials configured")
        }
        throw APIError(.unauthorized, "missing or wrong credentials for vendor '\(name)'")
    }
}
