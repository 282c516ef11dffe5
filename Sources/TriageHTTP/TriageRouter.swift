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
/// | `GET /readyz` | 200 when the store answers, 503 otherwise |
/// | `GET /metrics` | Prometheus text format |
public enum TriageRouter {
    public static func make(
        receiver: WebhookReceiver,
        store: any IncidentStore,
        metrics: PrometheusCollectorRegistry?,
        admin: AdminRoutes? = nil
    ) -> Router<TriageRequestContext> {
        let router = Router(context: TriageRequestContext.self)
        admin?.add(to: router)
        router.post("/webhooks/:source") { request, context in
            try await receiver.receive(request, context: context)
        }
        router.post("/api/v2/alerts") { request, context in
            try await receiver.alertmanagerAPI(request, context: context)
        }
        router.post("/v2/enqueue") { request, context in
            try await receiver.pagerDutyEnqueue(request, context: context)
        }
        router.get("/api/incidents/:id") { _, context in
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
            do {
                try await store.ping()
                return try JSONResponse.make(.ok, ["status": "ready"])
            } catch {
                context.logger.error("store not ready", metadata: ["error": "\(error)"])
                throw APIError(.serviceUnavailable, "store is not answering")
            }
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
