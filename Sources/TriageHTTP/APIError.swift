import Foundation
import HTTPTypes
import Hummingbird
import TriageCore

/// An error answer with a JSON body `{"error": "<code>", "detail": "<what and where>", "path": "$.…"}`.
///
/// `error` is a stable machine-readable code (`invalid_payload`, `unauthorized`, …); `detail` says
/// what is wrong and where (a JSON path for payload errors). Neither ever echoes tokens, headers
/// or bodies.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var path: String?
    /// Extra headers, such as `Retry-After` on a 429.
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, _ message: String, code: String? = nil, path: String? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code ?? Self.defaultCode(status)
        self.message = message
        self.path = path
        self.headers = headers
    }

    static func defaultCode(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 413: "body_too_large"
        case 415: "unsupported_media_type"
        case 422: "invalid_payload"
        case 429: "rate_limited"
        case 503: "unavailable"
        default: "error"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: String] = ["error": code, "detail": message]
        if let path { body["path"] = path }
        var response = try JSONResponse.make(status, body)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON answers with stable key order.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
