import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi.json`: the OpenAPI 3.1 document of the whole HTTP API (``OpenAPIDocument/json``),
/// answered `application/json`.
///
/// Open to every caller, like `/healthz`. The document only describes the API and holds no data
/// or credentials. The requests are not audited, because the path is outside `/api/` and `/admin/`.
///
/// ```swift
/// OpenAPIRoutes.add(to: router)
/// ```
public enum OpenAPIRoutes {
    /// Adds `GET /openapi.json` to `router`.
    ///
    /// - Parameter router: The service's router (see ``TriageRouter/make(receiver:store:metrics:admin:readiness:audit:dashboard:)``).
    public static func add(to router: Router<TriageRequestContext>) {
        // Encoded once: the document is a constant.
        let body = ByteBuffer(string: OpenAPIDocument.json)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
    }
}
