import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import TriageCore
import TriageEngine

/// Builds the router: webhooks, the incident API, health and metrics.
///
/// | route | answer |
/// |---|---|
/// | `POST /webhooks/{source}` | 202 with the incident ids; 200 for a replayed delivery; errors as `{"error", "detail"}` |
/// | `POST /api/v2/alerts` | Alertmanager's alert API (Prometheus' alerting target), 200 |
/// | `POST /v2/enqueue` | PagerDuty Events API v2, 202 `{"status", "message", "dedup_key"}` |
/// | `GET /api/incidents/{id}` | the incident, queue state, decision with explanation, deliveries, timers, events |
/// | `POST /admin/reload` | reload rules and vendors; 200 with the new version, 422 with the problems |
/// | `GET /healthz` | 200 while the process serves |
/// | `GET /readyz` | 200 when every readiness check passes; 503 `{"error": "not_ready", "detail": "store: …; rules: …"}` naming the failed ones |
/// | `GET /metrics` | Prometheus text format |
/// | `GET /` | the dashboard (see ``DashboardRoutes``) |
///
/// The admin routes (``AdminRoutes``: outbox, SLA, vendors, audit, incident list, reassign,
/// reload) are documented there; `GET /openapi.json` serves the whole API's OpenAPI document.
public enum TriageRouter {
    /// - Parameters:
    ///   - metrics: The registry `GET /metrics` serves; `nil` leaves the route off.
    ///   - readiness: The failed readiness checks, one `"<check>: <what>"` line each (see
    ///     ``Readiness/problems()``); `nil` checks only that `store` answers.
    public static func make(
        receiver: WebhookReceiver,
        store: any IncidentStore,
        metrics: PrometheusCollectorRegistry?,
        admin: AdminRoutes? = nil,
        readiness: (@Sendable () async -> [String])? = nil,
        audit: AuditMiddleware<TriageRequestContext>? = nil,
        dashboard: DashboardRoutes? = nil
    ) -> Router<TriageRequestContext> {
        let readiness = readiness ?? Readiness(store: store).problems
        let router = Router(context: TriageRequestContext.self)
        // Every admin and incident API call lands in the audit trail (routes added after this line).
        if let audit { router.add(middleware: audit) }
        admin?.add(to: router)
        dashboard?.add(to: router, admin: admin)
        OpenAPIRoutes.add(to: router)
        router.post("/webhooks/:source") { request, context in
            try await receiver.receive(request, context: context)
        }
        router.post("/api/v2/alerts") { request, context in
            try await receiver.alertmanagerAPI(request, context: context)
        }
        router.post("/v2/enqueue") { request, context in
            try await receiver.pagerDutyEnqueue(request, context: context)
        }
        router.get("/api/incidents/:id") { request, context in
            // An incident's details are the admin API's: the token, or loopback when none is set.
            try admin?.authorize(request.headers, loopback: context.isLoopback)
            let text = context.parameters.get("id") ?? ""
            guard let id = IncidentID(text) else {
                throw APIError(.badRequest, "'\(text)' is not an incident id (26 base-32 characters)")
            }
            guard let detail = try await store.incident(id) else {
                throw APIError(.notFound, "no incident \(id)")
            }
            return try JSONResponse.make(.ok, detail)
        }
        router.get("/healthz") { _, _ in
            try JSONResponse.make(.ok, ["status": "ok"])
        }
        router.get("/readyz") { _, context in
            let problems = await readiness()
            guard problems.isEmpty else {
                context.logger.warning("not ready", metadata: ["problems": "\(problems.joined(separator: "; "))"])
                throw APIError(.serviceUnavailable, problems.joined(separator: "; "), code: "not_ready")
            }
            return try JSONResponse.make(.ok, ["status": "ready"])
        }
        if let metrics {
            router.get("/metrics") { _, _ in
                var buffer: [UInt8] = []
                metrics.emit(into: &buffer)
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/plain; version=0.0.4"],
                    body: .init(byteBuffer: ByteBuffer(bytes: buffer))
                )
            }
        }
        return router
    }
}
