import Foundation
import HTTPTypes
import Hummingbird
import TriageCore
import TriageEngine

/// The SLA part of the admin API: incidents at risk, and pausing or resuming an incident's clocks.
public struct SLARoutes: Sendable {
    let store: any SLAClockStore
    let report: SLARiskReport
    /// Rung after a resume, so the watcher plans the timers at once.
    let watcherBell: Doorbell?

    public init(store: any SLAClockStore, report: SLARiskReport, watcherBell: Doorbell? = nil) {
        self.store = store
        self.report = report
        self.watcherBell = watcherBell
    }

    struct ReasonBody: Decodable {
        var reason: String
    }

    struct AtRisk: Encodable {
        var within: String
        var incidents: [SLARiskReport.Entry]
    }

    func add(to router: Router<TriageRequestContext>, admin: AdminRoutes) {
        router.get("/api/sla/at-risk") { request, context in
            try admin.authorize(request.headers, loopback: context.isLoopback)
            let text = request.uri.queryParameters.get("within") ?? "30m"
            guard let within = DurationText.parse(String(text)), within > .zero, within <= .seconds(366 * 86_400) else {
                throw APIError(.badRequest, "within '\(text)' is not a duration such as 30m, 4h or 2d")
            }
            let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 500
            guard (1...10_000).contains(limit) else { throw APIError(.badRequest, "limit must be 1…10000") }
            let entries = try await report.atRisk(within: within, now: admin.clock.now(), limit: limit)
            return try JSONResponse.make(.ok, AtRisk(within: String(text), incidents: entries))
        }
        for (action, pause) in [("pause", true), ("resume", false)] {
            router.post("/api/incidents/:id/\(action)") { request, context in
                try admin.authorize(request.headers, loopback: context.isLoopback)
                let text = context.parameters.get("id") ?? ""
                guard let id = IncidentID(text) else { throw APIError(.notFound, "no incident \(text)") }
                var request = request
                let buffer = try await request.collectBody(upTo: 64 * 1024)
                guard let body = try? JSONDecoder().decode(ReasonBody.self, from: Data(Array(buffer: buffer))),
                    !body.reason.trimmingCharacters(in: .whitespaces).isEmpty
                else { throw APIError(.badRequest, "expected {\"reason\": \"why\"}") }
                let now = admin.clock.now()
                let changed = pause
                    ? try await store.pauseClock(id, at: now, reason: body.reason)
                    : try await store.resumeClock(id, at: now, reason: body.reason)
                guard changed else {
                    throw APIError(
                        .conflict, pause ? "incident \(text) has no running SLA clock to pause" : "incident \(text) is not paused",
                        code: "cannot_\(action)")
                }
                watcherBell?.ring()
                return try JSONResponse.make(.ok, ["incident": text, "sla": pause ? "paused" : "running"])
            }
        }
    }
}
