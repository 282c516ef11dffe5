import Foundation
import Hummingbird
import Logging
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageStoreSQLite
import TriageTesting

@testable import TriageHTTP

/// `GET /api/incidents` over a real SQLite store: filters from the query string, paging with
/// `next`, 400s naming the parameter, and the admin token.
struct IncidentListRoutesTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z
    let token = "list-secret"
    let client = CurlHTTPClient()

    struct ListView: Decodable {
        var incidents: [IncidentSummary]
        var next: String?
    }

    struct ErrorView: Decodable {
        var error: String
        var detail: String
    }

    /// The incidents, newest first: e (alertmanager, not triaged), c (acme P3), b (globex P2), a (acme P1).
    struct Fixture {
        var a, b, c, e: IncidentID
        var all: [IncidentID] { [e, c, b, a] }
    }

    func fill(_ store: SQLiteStore) async throws -> Fixture {
        func triage(_ key: String, _ title: String, at: Date, vendor: String, priority: Priority) async throws -> IncidentID {
            let raw = RawPayload(source: "generic", contentType: nil, body: Array("{}".utf8), receivedAt: at)
            let draft = IncidentDraft(source: "generic", dedupKey: key, title: title, severity: .error)
            let id = try #require(try await store.accept([draft], raw: raw).first).id
            let item = try #require(try await store.claim(limit: 1, owner: "w", now: at, lease: .seconds(60)).first)
            let decision = Decision(
                incidentID: id, decidedAt: at, category: "web", priority: priority, vendor: vendor, abstained: false,
                matchedRules: ["web"], sla: nil, explanation: ["rule web matched", "vendor \(vendor)"])
            let message = NewOutboxMessage(id: "\(key)-1", vendor: vendor, endpoint: "http://127.0.0.1:1/x", body: Array("{}".utf8))
            try await store.complete(item, decision: decision, outbox: [message], clock: nil, now: at)
            return id
        }
        let a = try await triage("a", "Database down", at: t0, vendor: "acme", priority: .p1)
        let b = try await triage("b", "Sale 50%_off banner", at: t0 + 60, vendor: "globex", priority: .p2)
        let c = try await triage("c", "Sale 500 off banner", at: t0 + 120, vendor: "acme", priority: .p3)
        let raw = RawPayload(source: "alertmanager", contentType: nil, body: Array("{}".utf8), receivedAt: t0 + 180)
        let e = try #require(
            try await store.accept([IncidentDraft(source: "alertmanager", title: "CPU high", severity: .warning)], raw: raw).first
        ).id
        return Fixture(a: a, b: b, c: c, e: e)
    }

    /// Runs the listing (and nothing else) over a fresh SQLite store on a loopback port.
    func withListing(
        environment: [String: String]? = nil, _ body: @Sendable (String, Fixture) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("list.sqlite"))
        let fixture = try await fill(store)
        let admin = AdminRoutes(environment: environment ?? ["TRIAGE_ADMIN_TOKEN": token]) {
            ReloadResult(reloaded: false, version: 0, rules: 0, problems: [])
        }
        let router = Router(context: TriageRequestContext.self)
        IncidentListRoutes(query: store).add(to: router, admin: admin)
        let ready = PortWaiter()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await ready.report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test"))
        try await RunningService.with([app], ready: ready) { port in
            try await body("http://127.0.0.1:\(port)/api/incidents", fixture)
        }
    }

    func get(_ url: String, token: String?) async throws -> HTTPClientResponse {
        try await client.execute(
            HTTPClientRequest(url: url, headers: token.map { [(name: "Authorization", value: "Bearer \($0)")] } ?? []))
    }

    func list(_ url: String) async throws -> ListView {
        let response = try await get(url, token: token)
        #expect(response.status == 200, "\(url): \(String(decoding: response.body, as: UTF8.self))")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: text))
            }
            return date
        }
        return try decoder.decode(ListView.self, from: Data(response.body))
    }

    func refusal(_ url: String) async throws -> ErrorView {
        let response = try await get(url, token: token)
        #expect(response.status == 400, "\(url)")
        return try JSONDecoder().decode(ErrorView.self, from: Data(response.body))
    }

    @Test func filtersComeFromTheQueryString() async throws {
        try await withListing { base, x in
            let all = try await list(base)
            #expect(all.incidents.map(\.id) == x.all)
            #expect(all.next == nil)
            let a = try #require(all.incidents.last)
            #expect(a.title == "Database down")
            #expect(a.vendor == "acme")
            #expect(a.priority == .p1)
            #expect(a.receivedAt == t0)
            #expect(a.reason == "vendor acme")
            #expect(all.incidents.first?.priority == nil)
            #expect(try await list("\(base)?status=assigned").incidents.map(\.id) == [x.c, x.b, x.a])
            #expect(try await list("\(base)?vendor=acme").incidents.map(\.id) == [x.c, x.a])
            #expect(try await list("\(base)?priority=p1").incidents.map(\.id) == [x.a])
            #expect(try await list("\(base)?source=alertmanager&phase=new").incidents.map(\.id) == [x.e])
            #expect(try await list("\(base)?vendor=acme&priority=P3&status=assigned").incidents.map(\.id) == [x.c])
            // from/to: half-open, any RFC 3339 offset (a `+` sent as %2B).
            let window = "from=2026-09-21T16:14:20%2B02:00&to=2026-09-21T14:16:20Z"
            #expect(try await list("\(base)?\(window)").incidents.map(\.id) == [x.c, x.b])
            #expect(try await list("\(base)?q=50%25_off").incidents.map(\.id) == [x.b])
            #expect(try await list("\(base)?q=SALE").incidents.map(\.id) == [x.c, x.b])
            #expect(try await list("\(base)?q=sale%20500").incidents.map(\.id) == [x.c])
            // Empty values count as absent.
            #expect(try await list("\(base)?status=&q=&limit=").incidents.map(\.id) == x.all)
        }
    }

    @Test func pagesFollowNext() async throws {
        try await withListing { base, x in
            let first = try await get("\(base)?limit=2", token: token)
            #expect(String(decoding: first.body, as: UTF8.self).contains(#""next":""#))
            let one = try await list("\(base)?limit=2")
            #expect(one.incidents.map(\.id) == [x.e, x.c])
            #expect(one.next == x.c.rawValue)
            let two = try await list("\(base)?limit=2&before=\(try #require(one.next))")
            #expect(two.incidents.map(\.id) == [x.b, x.a])
            #expect(two.next == nil)
            let last = try await get("\(base)?limit=2&before=\(x.c.rawValue.lowercased())", token: token)
            #expect(String(decoding: last.body, as: UTF8.self).hasSuffix(#""next":null}"#))
            // Pages of one with a filter.
            let acme = try await list("\(base)?vendor=acme&limit=1")
            #expect(acme.incidents.map(\.id) == [x.c])
            let rest = try await list("\(base)?vendor=acme&limit=1&before=\(try #require(acme.next))")
            #expect(rest.incidents.map(\.id) == [x.a])
            #expect(rest.next == nil)
        }
    }

    @Test func badParametersAreNamed() async throws {
        try await withListing { base, _ in
            let from = try await refusal("\(base)?from=yesterday")
            #expect(from.error == "bad_request")
            #expect(from.detail.hasPrefix("from 'yesterday' is not accepted: expected an RFC 3339 timestamp"))
            #expect(try await refusal("\(base)?to=2026-09-21").detail.hasPrefix("to '2026-09-21'"))
            for limit in ["0", "501", "ten", "-1"] {
                #expect(try await refusal("\(base)?limit=\(limit)").detail == "limit '\(limit)' is not accepted: expected a whole number from 1 to 500")
            }
            #expect(try await refusal("\(base)?status=closed").detail.contains("open, assigned, acknowledged, resolved"))
            #expect(try await refusal("\(base)?phase=done").detail.hasPrefix("phase 'done'"))
            #expect(try await refusal("\(base)?priority=P9").detail.contains("P1, P2, P3, P4, P5"))
            #expect(try await refusal("\(base)?before=nonsense").detail.hasPrefix("before 'nonsense'"))
            var generator = SystemRandomNumberGenerator()
            let unknown = IncidentID(now: t0, using: &generator)
            #expect(try await refusal("\(base)?before=\(unknown)").detail.hasPrefix("before: no incident \(unknown)"))
            let backwards = "from=2026-09-22T00:00:00Z&to=2026-09-21T00:00:00Z"
            #expect(try await refusal("\(base)?\(backwards)").detail.contains("is after to"))
            let long = String(repeating: "x", count: 201)
            #expect(try await refusal("\(base)?q=\(long)").detail == "q is 201 characters long; at most 200 are accepted")
        }
    }

    @Test func theAdminTokenIsRequired() async throws {
        try await withListing { base, x in
            let missing = try await get(base, token: nil)
            #expect(missing.status == 401)
            #expect(!String(decoding: missing.body, as: UTF8.self).contains(x.a.rawValue))
            #expect(try await get(base, token: "wrong").status == 401)
            #expect(try await get("\(base)?from=yesterday", token: nil).status == 401)
            #expect(try await get(base, token: token).status == 200)
        }
        // With no token set, loopback callers (as here) are let in.
        try await withListing(environment: [:]) { base, x in
            let listed = try await list(base)
            #expect(listed.incidents.map(\.id) == x.all)
        }
    }
}
