import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TriageEngine

/// Records every call to the admin and incident API in the audit trail, after it is answered:
/// who (the admin token, a loopback caller, a vendor naming itself), what (method and route),
/// on what (the path), how it ended (the status), and the query with any `token` removed.
/// Webhooks and the Prometheus alert API are not audited (they are the intake, with their own
/// records); neither are health checks, metrics or the dashboard's static parts.
public struct AuditMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: any AdminStore
    let clock: any TriageClock

    public init(store: any AdminStore, clock: any TriageClock) {
        self.store = store
        self.clock = clock
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.audited(request.uri.path) else { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            await record(request, context: context, status: response.status.code)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            await record(request, context: context, status: status)
            throw error
        }
    }

    static func audited(_ path: String) -> Bool {
        (path.hasPrefix("/api/") && path != "/api/v2/alerts") || path.hasPrefix("/admin/") || path == "/"
    }

    func record(_ request: Request, context: Context, status: Int) async {
        let entry = AuditEntry(
            at: clock.now(), actor: Self.actor(request.headers), action: "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path)",
            target: request.uri.path, status: status, detail: Self.detail(request.uri.query))
        do {
            try await store.audit(entry)
        } catch {
            context.logger.error("audit entry not written", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }

    /// Who called, as far as the request says (never the credential itself).
    static func actor(_ headers: HTTPFields) -> String {
        if let vendor = headers[HTTPField.Name("X-Triage-Vendor")!], !vendor.isEmpty {
            return "vendor:\(vendor.prefix(64))"
        }
        return headers[.authorization] == nil ? "unauthenticated" : "bearer"
    }

    /// The query string without credentials: `token=…` and anything named like a secret are dropped.
    static func detail(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        return query.split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            return !["token", "secret", "password", "key"].contains { name.contains($0) }
        }.joined(separator: "&").prefix(512).description
    }
}
