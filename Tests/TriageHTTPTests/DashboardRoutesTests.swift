import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Testing
import TriageCore
import TriageCurl
import TriageTesting

@testable import TriageHTTP

/// `GET /` over a real socket: the page and its headers, the token (header or query; missing,
/// wrong, right), loopback without a token, and the 503 page when the figures cannot be read.
struct DashboardRoutesTests {
    struct StoreDown: Error, CustomStringConvertible {
        var description: String { "store did not answer <in 5s>" }
    }

    static let token = "dash-T0ken-42"

    /// Runs `GET /` routes over `snapshot` on a loopback port for the length of `body`.
    func withDashboard(
        token: String?, snapshot: @escaping @Sendable () async throws -> DashboardSnapshot,
        _ body: @Sendable (String, CurlHTTPClient) async throws -> Void
    ) async throws {
        let router = Router(context: TriageRequestContext.self)
        let admin = AdminRoutes(environment: token.map { ["TRIAGE_ADMIN_TOKEN": $0] } ?? [:]) {
            ReloadResult(reloaded: true, version: 1, rules: 0, problems: [])
        }
        DashboardRoutes(snapshot: snapshot).add(to: router, admin: admin)
        let ready = PortWaiter()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await ready.report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test"))
        let client = CurlHTTPClient()
        try await RunningService.with([app], ready: ready) { port in
            try await body("http://127.0.0.1:\(port)", client)
        }
    }

    @Test func theTokenIsRequiredWhenSet() async throws {
        try await withDashboard(token: Self.token, snapshot: { DashboardPageTests.sample() }) { base, client in
            let missing = try await client.execute(HTTPClientRequest(url: "\(base)/"))
            #expect(missing.status == 401)
            #expect(missing.header("content-type") == "text/html; charset=utf-8")
            #expect(missing.header("www-authenticate") == "Bearer")
            #expect(!String(decoding: missing.body, as: UTF8.self).contains("Recent decisions"))

            let wrongHeader = try await client.execute(
                HTTPClientRequest(url: "\(base)/", headers: [("Authorization", "Bearer dash-T0ken-43")]))
            #expect(wrongHeader.status == 401)
            let wrongQuery = try await client.execute(HTTPClientRequest(url: "\(base)/?token=dash-T0ken"))
            #expect(wrongQuery.status == 401)
            #expect(!String(decoding: wrongQuery.body, as: UTF8.self).contains("dash-T0ken"))

            let byHeader = try await client.execute(
                HTTPClientRequest(url: "\(base)/", headers: [("Authorization", "Bearer \(Self.token)")]))
            #expect(byHeader.status == 200)
            #expect(byHeader.header("content-type") == "text/html; charset=utf-8")
            #expect(byHeader.header("cache-control") == "no-store")
            let page = String(decoding: byHeader.body, as: UTF8.self)
            #expect(page == DashboardPage.render(DashboardPageTests.sample()))

            let byQuery = try await client.execute(HTTPClientRequest(url: "\(base)/?token=\(Self.token)"))
            #expect(byQuery.status == 200)
            #expect(String(decoding: byQuery.body, as: UTF8.self).contains("<h2>Recent decisions"))
        }
    }

    @Test func withoutATokenLoopbackMayLook() async throws {
        try await withDashboard(token: nil, snapshot: { DashboardPageTests.empty() }) { base, client in
            let response = try await client.execute(HTTPClientRequest(url: "\(base)/"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self).contains("nothing at risk"))
        }
    }

    @Test func aFailingSnapshotAnswers503SayingWhat() async throws {
        try await withDashboard(token: nil, snapshot: { throw StoreDown() }) { base, client in
            let response = try await client.execute(HTTPClientRequest(url: "\(base)/"))
            #expect(response.status == 503)
            #expect(response.header("content-type") == "text/html; charset=utf-8")
            #expect(response.header("cache-control") == "no-store")
            let page = String(decoding: response.body, as: UTF8.self)
            #expect(page.contains("<h1>Dashboard unavailable</h1>"))
            #expect(page.contains("could not read its figures: <code>store did not answer &lt;in 5s&gt;</code>"))
        }
    }

    @Test func remoteCallersNeedAToken() {
        let right: HTTPFields = [.authorization: "Bearer \(Self.token)"]
        let check = DashboardRoutes.check
        #expect(check([:], nil, nil, true) == nil)
        #expect(check([:], nil, nil, false) == .remoteWithoutToken)
        #expect(check(right, nil, nil, false) == .remoteWithoutToken)
        #expect(check([:], nil, Self.token, true) == .missingOrWrongToken)
        #expect(check(right, nil, Self.token, false) == nil)
        #expect(check([.authorization: "bearer \(Self.token)"], nil, Self.token, false) == nil)
        #expect(check([.authorization: "Basic \(Self.token)"], nil, Self.token, false) == .missingOrWrongToken)
        #expect(check([:], Self.token, Self.token, false) == nil)
        #expect(check([:], "", Self.token, false) == .missingOrWrongToken)
        #expect(check([.authorization: "Bearer nope"], Self.token, Self.token, false) == nil)
        #expect(DashboardRoutes.denied(.remoteWithoutToken).status == .forbidden)
    }
}
