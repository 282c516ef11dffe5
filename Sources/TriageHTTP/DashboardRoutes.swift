import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TriageCore

/// `GET /`: the operators' dashboard (``DashboardPage``), answered `text/html; charset=utf-8`
/// with `cache-control: no-store`; a 503 page saying what failed when the figures cannot be read.
///
/// The page shows incident titles, so it is guarded like the admin API. With an admin token
/// (`TRIAGE_ADMIN_TOKEN`, taken from the ``AdminRoutes`` given to ``add(to:admin:)``) a caller
/// presents it either as `Authorization: Bearer <token>` or, because a browser cannot send that
/// header from its address bar, as `/?token=<token>`. The query form puts the token in the
/// browser's history and in any proxy's access log: use it on a private network or behind a proxy
/// that adds the header instead. Both are compared in constant time. With no token set, loopback
/// callers only.
///
/// ```swift
/// DashboardRoutes(zone: zone) { try await buildSnapshot() }.add(to: router, admin: admin)
/// ```
public struct DashboardRoutes: Sendable {
    let snapshot: @Sendable () async throws -> DashboardSnapshot
    let zone: ZoneRules?

    /// - Parameters:
    ///   - zone: The zone wall-clock times are shown in; UTC when `nil`.
    ///   - snapshot: Reads the figures, once per request; what it throws is shown on a 503 page.
    public init(zone: ZoneRules? = nil, snapshot: @escaping @Sendable () async throws -> DashboardSnapshot) {
        self.zone = zone
        self.snapshot = snapshot
    }

    /// Why a request may not see the page.
    enum Denial: Equatable {
        /// A token is set and the request did not present it (401).
        case missingOrWrongToken
        /// No token is set and the request is not from loopback (403).
        case remoteWithoutToken
    }

    /// Adds `GET /` to `router`, guarded by `admin`'s token (loopback only when `admin` is `nil`
    /// or has no token).
    public func add(to router: Router<TriageRequestContext>, admin: AdminRoutes?) {
        let token = admin?.token
        router.get("/") { request, context in
            let query = request.uri.queryParameters.get("token")
            if let denial = Self.check(request.headers, queryToken: query, token: token, loopback: context.isLoopback) {
                return Self.denied(denial)
            }
            do {
                let figures = try await snapshot()
                return Self.html(.ok, DashboardPage.render(figures, zone: zone))
            } catch {
                context.logger.error("dashboard snapshot failed", metadata: ["error": "\(error)"])
                return Self.html(.serviceUnavailable, Self.failurePage(error))
            }
        }
    }

    /// Whether a request may see the page: `nil` when it may.
    ///
    /// - Parameters:
    ///   - headers: The request's headers (`Authorization: Bearer …`).
    ///   - queryToken: The `token` query parameter, if any.
    ///   - token: The admin token; `nil` when none is set.
    ///   - loopback: Whether the peer is on loopback.
    static func check(_ headers: HTTPFields, queryToken: String?, token: String?, loopback: Bool) -> Denial? {
        guard let token else { return loopback ? nil : .remoteWithoutToken }
        let expected = Array(token.utf8)
        let bearer = headers[.authorization].flatMap {
            $0.lowercased().hasPrefix("bearer ") ? String($0.dropFirst(7)) : nil
        }
        // Both are compared whenever present, so the time taken does not tell which one matched.
        let bearerMatches = bearer.map { SourceAuthenticator.constantTimeEquals(Array($0.utf8), expected) } ?? false
        let queryMatches = queryToken.map { SourceAuthenticator.constantTimeEquals(Array($0.utf8), expected) } ?? false
        return bearerMatches || queryMatches ? nil : .missingOrWrongToken
    }

    static func denied(_ denial: Denial) -> Response {
        switch denial {
        case .missingOrWrongToken:
            var response = html(
                .unauthorized,
                page(
                    title: "Dashboard: admin token needed",
                    body: "This page needs the admin token (<code>TRIAGE_ADMIN_TOKEN</code>): send "
                        + "<code>Authorization: Bearer &lt;token&gt;</code>, or open <code>/?token=&lt;token&gt;</code> "
                        + "on a private network. The token given, if any, was wrong."))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        case .remoteWithoutToken:
            return html(
                .forbidden,
                page(
                    title: "Dashboard: loopback only",
                    body: "No admin token is set, so the dashboard answers loopback callers only. Set "
                        + "<code>TRIAGE_ADMIN_TOKEN</code> to open it to others."))
        }
    }

    /// The 503 page: what failed, escaped and cut short (store errors carry no secrets).
    static func failurePage(_ error: any Error) -> String {
        let what = DashboardPage.escape(DashboardPage.shortened(String(describing: error), to: 300))
        return page(
            title: "Dashboard unavailable",
            body: "The dashboard could not read its figures: <code>\(what)</code>. The store may be down; "
                + "<code>/readyz</code> says whether it answers. Reload to try again.")
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>\(title)</title>
        <style>body{font:14px/1.4 system-ui,"DejaVu Sans",sans-serif;margin:2em;color:#1d232b}\
        code{font-family:"DejaVu Sans Mono",monospace;background:#f1f3f5;padding:0 3px}</style></head>
        <body><h1>\(title)</h1><p>\(body)</p></body>
        </html>

        """
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
