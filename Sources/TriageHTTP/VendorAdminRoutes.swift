import Foundation
import Hummingbird
import TriageCore
import TriageEngine

/// Operators' switches on vendors and the audit trail:
///
/// | route | answer |
/// |---|---|
/// | `POST /api/vendors/{name}/disable` `{"reason"}` | 200; the vendor takes no new incident on any instance |
/// | `POST /api/vendors/{name}/enable` | 200; it takes incidents again |
/// | `GET /api/audit?limit=N` | the most recent admin calls, newest first |
public struct VendorAdminRoutes: Sendable {
    let store: any AdminStore
    /// The configured vendor names (after reloads).
    let vendors: @Sendable () -> [String]

    public init(store: any AdminStore, vendors: @escaping @Sendable () -> [String]) {
        self.store = store
        self.vendors = vendors
    }

    struct ReasonBody: Decodable {
        var reason: String
    }

    struct Switched: Encodable {
        var vendor: String
        var disabled: Bool
        var reason: String?
    }

    struct Trail: Encodable {
        var entries: [AuditEntry]
    }

    func add(to router: Router<TriageRequestContext>, admin: AdminRoutes) {
        router.post("/api/vendors/:name/disable") { request, context in
            try admin.authorize(request.headers, loopback: context.isLoopback)
            let name = try known(context.parameters.get("name") ?? "")
            var request = request
            let buffer = try await request.collectBody(upTo: 64 * 1024)
            guard let body = try? JSONDecoder().decode(ReasonBody.self, from: Data(Array(buffer: buffer))),
                !body.reason.trimmingCharacters(in: .whitespaces).isEmpty, body.reason.count <= 500
            else { throw APIError(.badRequest, "expected {\"reason\": \"why\"} (at most 500 characters)") }
            try await store.setVendorDisabled(name, reason: body.reason, actor: "admin-api", at: admin.clock.now())
            return try JSONResponse.make(.ok, Switched(vendor: name, disabled: true, reason: body.reason))
        }
        router.post("/api/vendors/:name/enable") { request, context in
            try admin.authorize(request.headers, loopback: context.isLoopback)
            let name = try known(context.parameters.get("name") ?? "")
            try await store.setVendorDisabled(name, reason: nil, actor: "admin-api", at: admin.clock.now())
            return try JSONResponse.make(.ok, Switched(vendor: name, disabled: false, reason: nil))
        }
        router.get("/api/audit") { request, context in
            try admin.authorize(request.headers, loopback: context.isLoopback)
            let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 100
            guard (1...10_000).contains(limit) else { throw APIError(.badRequest, "limit must be 1…10000") }
            return try JSONResponse.make(.ok, Trail(entries: try await store.auditTrail(limit: limit)))
        }
    }

    func known(_ name: String) throws(APIError) -> String {
        let names = vendors()
        guard names.contains(name) else {
            throw APIError(.notFound, "no vendor '\(name.prefix(100))' (configured: \(names.joined(separator: ", ")))")
        }
        return name
    }
}
