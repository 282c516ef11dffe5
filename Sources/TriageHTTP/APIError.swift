import Foundation
import HTTPTypes
import Hummingbird
import TriageCore

/// An error answer with a JSON body `{"error": "...", "path": "..."}`.
///
/// The message says what is wrong and where (a JSON path for payload errors); it never echoes
/// tokens, headers or bodies.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var path: String?

    public init(_ status: HTTPResponse.Status, _ message: String, path: String? = nil) {
        self.status = status
        self.message = message
        self.path = path
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: String] = ["error": message]
        if let path { body["path"] = path }
        return try JSONResponse.make(status, body)
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
