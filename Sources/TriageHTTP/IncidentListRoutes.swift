import Foundation
import HTTPTypes
import Hummingbird
import TriageCore
import TriageEngine

/// `GET /api/incidents`: incidents newest first, filtered, a page at a time (admin API).
///
/// - Query parameters (all optional; an empty value counts as absent):
///   - `status`: `open`, `assigned`, `acknowledged` or `resolved`
///   - `phase`: `new`, `triaged`, `assigned`, `acknowledged`, `paused`, `resolved`, `closed` or `suppressed`
///   - `vendor`, `source`: exact names
///   - `priority`: `P1` … `P5` (any case)
///   - `from`, `to`: RFC 3339 instants; received at or after `from` and before `to`
///   - `q`: text in the title or description (ASCII letters in either case), at most 200 characters
///   - `limit`: 1 … 500, default 50
///   - `before`: the `next` of the previous page
///
/// Answers `{"incidents": [IncidentSummary…], "next": "<id>" | null}`; `next` is `null` on the
/// last page. Authenticated like every admin route (see ``AdminRoutes``).
public struct IncidentListRoutes: Sendable {
    let query: any IncidentQuery

    /// The listing over `query` (a store).
    public init(query: any IncidentQuery) {
        self.query = query
    }

    /// One page of the listing.
    struct Page: Encodable {
        var incidents: [IncidentSummary]
        var next: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(incidents, forKey: .incidents)
            // Always present: `null` says there is no further page.
            try container.encode(next, forKey: .next)
        }

        enum CodingKeys: String, CodingKey {
            case incidents, next
        }
    }

    /// The most incidents one page may hold, and how many a page holds unless asked.
    static let maximumLimit = 500
    static let defaultLimit = 50
    /// The longest `q` accepted, in characters.
    static let maximumTextLength = 200

    /// Adds `GET /api/incidents` to `router`, authorised by `admin`'s token.
    func add(to router: Router<TriageRequestContext>, admin: AdminRoutes) {
        router.get("/api/incidents") { request, context in
            try admin.authorize(request.headers, loopback: context.isLoopback)
            let parameters = request.uri.queryParameters
            let (filter, limit, before) = try Self.parse { name in
                parameters.get(name).flatMap { $0.isEmpty ? nil : String($0) }
            }
            // One more than the page, to learn whether another page follows.
            var incidents: [IncidentSummary]
            do {
                incidents = try await query.incidents(matching: filter, limit: limit + 1, before: before)
            } catch IncidentQueryError.unknownCursor(let id) {
                throw APIError(.badRequest, "before: no incident \(id); pass the 'next' of the previous page")
            }
            var next: String?
            if incidents.count > limit {
                incidents.removeLast(incidents.count - limit)
                next = incidents.last?.id.rawValue
            }
            return try JSONResponse.make(.ok, Page(incidents: incidents, next: next))
        }
    }

    /// The filter, page size and cursor from the query parameters `value` gives (`nil` when absent).
    /// - Throws: ``APIError`` (400) naming the parameter and what it accepts.
    static func parse(_ value: (String) -> String?) throws(APIError) -> (IncidentFilter, Int, String?) {
        var filter = IncidentFilter()
        if let text = value("status") {
            guard let status = IncidentStatus(rawValue: text) else {
                throw invalid("status", text, "one of " + IncidentStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.status = status
        }
        if let text = value("phase") {
            guard let phase = IncidentPhase(rawValue: text) else {
                throw invalid("phase", text, "one of " + IncidentPhase.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.phase = phase
        }
        if let text = value("priority") {
            guard let priority = Priority(parsing: text) else {
                throw invalid("priority", text, "one of " + Priority.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.priority = priority
        }
        filter.vendor = value("vendor")
        filter.source = value("source")
        for (name, keyPath) in [("from", \IncidentFilter.receivedFrom), ("to", \IncidentFilter.receivedTo)] {
            guard let text = value(name) else { continue }
            guard let date = RFC3339.parse(text) else {
                throw invalid(name, text, "an RFC 3339 timestamp such as 2026-01-31T09:00:00Z or 2026-01-31T10:00:00+01:00")
            }
            filter[keyPath: keyPath] = date
        }
        if let from = filter.receivedFrom, let to = filter.receivedTo, from > to {
            throw APIError(.badRequest, "from (\(RFC3339.format(from))) is after to (\(RFC3339.format(to)))")
        }
        if let text = value("q") {
            guard text.count <= maximumTextLength else {
                throw APIError(.badRequest, "q is \(text.count) characters long; at most \(maximumTextLength) are accepted")
            }
            filter.text = text
        }
        var limit = defaultLimit
        if let text = value("limit") {
            guard let number = Int(text), (1...maximumLimit).contains(number) else {
                throw invalid("limit", text, "a whole number from 1 to \(maximumLimit)")
            }
            limit = number
        }
        var before: String?
        if let text = value("before") {
            guard let id = IncidentID(text) else {
                throw invalid("before", text, "an incident id (26 base-32 characters), the 'next' of the previous page")
            }
            before = id.rawValue
        }
        return (filter, limit, before)
    }

    /// A 400 for parameter `name`: its value (cut short) and what is accepted.
    static func invalid(_ name: String, _ value: String, _ accepted: String) -> APIError {
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return APIError(.badRequest, "\(name) '\(shown)' is not accepted: expected \(accepted)")
    }
}
