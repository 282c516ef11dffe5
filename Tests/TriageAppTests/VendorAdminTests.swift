import Foundation
import Testing
import TriageApp
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

extension EndToEndTests {
    /// An operator takes a vendor out of assignment and puts it back; every admin call, refused or
    /// not, is in the audit trail, and a wrong or missing token gets nothing done.
    @Test func vendorsAreDisabledAndEnabledAndEveryAdminCallIsAudited() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            let configuration = try ConfigLoader.load(directory: configPath)
            let store = try SQLiteStore(path: directory.path("triage.sqlite"))
            let token = "admin-secret-8c1f"
            try await withServer(
                configuration, store: store, reloadFrom: configPath, environment: ["TRIAGE_ADMIN_TOKEN": token]
            ) { base in
                func call(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> Int {
                    var headers = [(name: "Content-Type", value: "application/json")]
                    if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
                    return try await client.execute(
                        HTTPClientRequest(method: method, url: base + path, headers: headers, body: body.map { Array($0.utf8) } ?? []))
                        .status
                }
                let reason = #"{"reason": "acme outage, ticket OPS-12"}"#
                // The token is required even from loopback once it is set; a wrong one is refused.
                #expect(try await call("POST", "/api/vendors/acme-dba/disable", token: nil, body: reason) == 401)
                #expect(try await call("POST", "/api/vendors/acme-dba/disable", token: "wrong", body: reason) == 401)
                #expect(try await store.vendorStats(since: .distantPast)["acme-dba"]?.disabledBecause == nil)

                #expect(try await call("POST", "/api/vendors/acme-dba/disable", token: token, body: reason) == 200)
                #expect(try await store.vendorStats(since: .distantPast)["acme-dba"]?.disabledBecause == "acme outage, ticket OPS-12")
                #expect(try await call("POST", "/api/vendors/nobody/disable", token: token, body: reason) == 404)
                #expect(try await call("POST", "/api/vendors/acme-dba/disable", token: token, body: "{}") == 400)

                // The billing database alert is acme's by rule; with acme disabled it goes elsewhere, and says why.
                let id = try #require(try await postAlert(base).accepted.incidents.first?.id)
                let detail = try await waitFor(base, id, token: token) { $0.decision != nil }
                #expect(detail.decision?.vendor != "acme-dba")
                #expect(detail.decision?.explanation.contains { $0.contains("disabled by an operator: acme outage, ticket OPS-12") } == true)

                #expect(try await call("POST", "/api/vendors/acme-dba/enable", token: token) == 200)
                #expect(try await store.vendorStats(since: .distantPast)["acme-dba"]?.disabledBecause == nil)

                let trail = try await store.auditTrail(limit: 100)
                let calls = trail.reversed().filter { $0.action.contains("/api/vendors") }.map { "\($0.action) \($0.status) \($0.actor)" }
                #expect(
                    calls == [
                        "POST /api/vendors/{name}/disable 401 unauthenticated", "POST /api/vendors/{name}/disable 401 bearer",
                        "POST /api/vendors/{name}/disable 200 bearer", "POST /api/vendors/{name}/disable 404 bearer",
                        "POST /api/vendors/{name}/disable 400 bearer", "POST /api/vendors/{name}/enable 200 bearer",
                    ])
                // Reads of incidents are audited too, and no entry holds the token.
                #expect(trail.contains { $0.action == "GET /api/incidents/{id}" && $0.status == 200 })
                #expect(!trail.contains { $0.detail.contains(token) || $0.target.contains(token) || $0.actor.contains(token) })
                let listed = try await client.execute(
                    HTTPClientRequest(url: base + "/api/audit?limit=3", headers: [(name: "Authorization", value: "Bearer \(token)")]))
                #expect(listed.status == 200)
                #expect(!String(decoding: listed.body, as: UTF8.self).contains(token))

                // The dashboard, wired to the store: the decision and the vendors' load are on it.
                let page = try await client.execute(HTTPClientRequest(url: base + "/?token=\(token)"))
                #expect(page.status == 200)
                let html = String(decoding: page.body, as: UTF8.self)
                #expect(html.contains("Recent decisions"))
                #expect(html.contains(id))
                #expect(html.contains("acme-dba"))
                #expect(try await client.execute(HTTPClientRequest(url: base + "/")).status == 401)
            }
        }
    }
}
