import Foundation
import HTTPTypes
import Hummingbird
import TriageCore
import TriageEngine

/// What a configuration reload did.
public struct ReloadResult: Sendable, Codable, Equatable {
    public var reloaded: Bool
    /// The configuration version now in force.
    public var version: Int
    public var rules: Int
    /// `file:line:column: message` for each problem of a refused configuration.
    public var problems: [String]

    public init(reloaded: Bool, version: Int, rules: Int, problems: [String]) {
        self.reloaded = reloaded
        self.version = version
        self.rules = rules
        self.problems = problems
    }
}

/// `POST /admin/reload`: the same reload as SIGHUP, answered with the result. Authenticated with
/// `Authorization: Bearer <TRIAGE_ADMIN_TOKEN>`; with no token set, loopback callers only.
public struct AdminRoutes: Sendable {
    let token: String?
    let reload: @Sendable () async -> ReloadResult
    let reassigner: Reassigner?
    let outbox: (any OutboxAdmin)?
    let sla: SLARoutes?
    let callbacks: VendorCallbackRoutes?
    /// Vendor switches and the audit trail.
    public var vendorAdmin: VendorAdminRoutes?
    /// `GET /api/incidents` with filters.
    public var incidentList: IncidentListRoutes?
    let clock: any TriageClock

    public init(
        environment: [String: String], reassigner: Reassigner? = nil, outbox: (any OutboxAdmin)? = nil,
        sla: SLARoutes? = nil, callbacks: VendorCallbackRoutes? = nil, clock: any TriageClock = SystemClock(),
        reload: @escaping @Sendable () async -> ReloadResult
    ) {
        self.sla = sla
        self.callbacks = callbacks
        self.outbox = outbox
        let token = environment["TRIAGE_ADMIN_TOKEN"] ?? ""
        self.token = token.isEmpty ? nil : token
        self.reload = reload
        self.reassigner = reassigner
        self.clock = clock
    }

    struct ReassignBody: Decodable {
        var vendor: String
        var reason: String
    }

    struct DropBody: Decodable {
        var reason: String
    }

    struct Entries: Encodable {
        var messages: [OutboxEntry]
    }

    func addOutbox(to router: Router<TriageRequestContext>, _ outbox: any OutboxAdmin) {
        router.get("/api/outbox") { request, context in
            try authorize(request.headers, loopback: context.isLoopback)
            let status = request.uri.queryParameters.get("status")
            let statuses = ["pending", "delivered", "dead", "dropped"]
            if let status, !statuses.contains(status) {
                throw APIError(.badRequest, "status '\(status)' is not one of \(statuses.joined(separator: ", "))")
            }
            let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 100
            guard (1...10_000).contains(limit) else { throw APIError(.badRequest, "limit must be 1…10000") }
            return try JSONResponse.make(.ok, Entries(messages: try await outbox.outboxEntries(status: status, limit: limit)))
        }
        router.post("/api/outbox/:id/retry") { request, context in
            try authorize(request.headers, loopback: context.isLoopback)
            let id = context.parameters.get("id") ?? ""
            guard try await outbox.retryMessage(id, now: clock.now()) else {
                throw APIError(.conflict, "no dead or dropped message '\(id)'", code: "cannot_retry")
            }
            return try JSONResponse.make(.ok, ["message": id, "status": "pending"])
        }
        router.post("/api/outbox/:id/drop") { request, context in
            try authorize(request.headers, loopback: context.isLoopback)
            let id = context.parameters.get("id") ?? ""
            var request = request
            let buffer = try await request.collectBody(upTo: 64 * 1024)
            guard let body = try? JSONDecoder().decode(DropBody.self, from: Data(Array(buffer: buffer))),
                !body.reason.trimmingCharacters(in: .whitespaces).isEmpty
            else { throw APIError(.badRequest, "expected {\"reason\": \"why\"}") }
            guard try await outbox.dropMessage(id, reason: body.reason, now: clock.now()) else {
                throw APIError(.conflict, "no pending or dead message '\(id)'", code: "cannot_drop")
            }
            return try JSONResponse.make(.ok, ["message": id, "status": "dropped"])
        }
    }

    func add(to router: Router<TriageRequestContext>) {
        if let outbox { addOutbox(to: router, outbox) }
        sla?.add(to: router, admin: self)
        callbacks?.add(to: router, admin: self)
        vendorAdmin?.add(to: router, admin: self)
        incidentList?.add(to: router, admin: self)
        if let reassigner {
            router.post("/api/incidents/:id/reassign") { request, context in
                try authorize(request.headers, loopback: context.isLoopback)
                var request = request
                let buffer = try await request.collectBody(upTo: 64 * 1024)
                let body: ReassignBody
                do {
                    body = try JSONDecoder().decode(ReassignBody.self, from: Data(Array(buffer: buffer)))
                } catch {
                    throw APIError(.badRequest, "expected {\"vendor\": \"name\", \"reason\": \"why\"}")
                }
                guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw APIError(.unprocessableContent, "a reassignment needs a reason", code: "invalid_request")
                }
                do {
                    let decision = try await reassigner.reassign(
                        context.parameters.get("id") ?? "", to: body.vendor, reason: body.reason, now: clock.now())
                    return try JSONResponse.make(.ok, decision)
                } catch let failure as Reassigner.Failure {
                    switch failure {
                    case .unknownIncident: throw APIError(.notFound, failure.description)
                    default: throw APIError(.conflict, failure.description, code: "cannot_reassign")
                    }
                }
            }
        }
        router.post("/admin/reload") { request, context in
            try authorize(request.headers, loopback: context.isLoopback)
            let result = await reload()
            guard result.reloaded else {
                var error = APIError(
                    .unprocessableContent,
                    "configuration refused; version \(result.version) stays in force: "
                        + result.problems.joined(separator: "; "),
                    code: "invalid_configuration")
                error.headers = [:]
                throw error
            }
            return try JSONResponse.make(.ok, result)
        }
    }

    func authorize(_ headers: HTTPFields, loopback: Bool) throws(APIError) {
        guard let token else {
            guard loopback else { throw APIError(.forbidden, "admin API: set TRIAGE_ADMIN_TOKEN to call it remotely") }
            return
        }
        let presented = headers[.authorization].flatMap { $0.lowercased().hasPrefix("bearer ") ? String($0.dropFirst(7)) : nil }
        guard let presented, SourceAuthenticator.constantTimeEquals(Array(presented.utf8), Array(token.utf8)) else {
            throw APIError(.unauthorized, "admin API: missing or wrong bearer token")
        }
    }
}
