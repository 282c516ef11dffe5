import Foundation

/// A request the receiver refused, kept (bounded) so operators can see what senders sent and why
/// it failed. Only the body, truncated, is kept: never headers, so never credentials.
public struct RejectedPayload: Sendable, Equatable, Codable {
    /// The body bytes kept at most per rejected request.
    public static let keptBodyBytes = 64 * 1024

    public var id: Int64?
    /// The source name from the URL, as sent (it may be unknown).
    public var source: String
    public var status: Int
    public var reason: String
    public var contentType: String?
    /// The first ``keptBodyBytes`` of the body, as text (invalid UTF-8 replaced).
    public var body: String
    /// The size of the whole body as received (for a 413, the bytes read before giving up).
    public var bodyBytes: Int
    public var truncated: Bool
    public var receivedAt: Date

    public init(
        id: Int64? = nil, source: String, status: Int, reason: String, contentType: String?, body: String,
        bodyBytes: Int, truncated: Bool, receivedAt: Date
    ) {
        self.id = id
        self.source = source
        self.status = status
        self.reason = reason
        self.contentType = contentType
        self.body = body
        self.bodyBytes = bodyBytes
        self.truncated = truncated
        self.receivedAt = receivedAt
    }

    /// A rejection of `raw`, keeping at most `maxBodyBytes` of its body.
    public init(raw: RawPayload, status: Int, reason: String, maxBodyBytes: Int = keptBodyBytes) {
        let kept = raw.body.prefix(maxBodyBytes)
        self.init(
            source: raw.source, status: status, reason: reason, contentType: raw.contentType,
            body: String(decoding: kept, as: UTF8.self), bodyBytes: raw.body.count,
            truncated: kept.count < raw.body.count, receivedAt: raw.receivedAt)
    }
}
