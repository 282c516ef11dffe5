import Foundation

/// Access to stored raw bodies for re-encryption (`triage payload-keys rotate`), page by page.
public protocol RawBodyStore: Sendable {
    /// Up to `limit` raw webhook bodies with an id above `after`, in id order.
    func rawBodies(after: Int64, limit: Int) async throws -> [StoredBody]

    /// Replaces raw body `id` when it still is `expected` (a purge or another rotation in between wins);
    /// `false` when it was not replaced.
    func replaceRawBody(id: Int64, expected: [UInt8], with body: [UInt8]) async throws -> Bool

    /// Up to `limit` kept rejected bodies (text) with an id above `after`, in id order.
    func rejectedBodies(after: Int64, limit: Int) async throws -> [StoredText]

    /// Replaces rejected body `id` when it still is `expected`.
    func replaceRejectedBody(id: Int64, expected: String, with body: String) async throws -> Bool
}

/// One stored raw body.
public struct StoredBody: Sendable, Equatable {
    public var id: Int64
    public var body: [UInt8]

    public init(id: Int64, body: [UInt8]) {
        self.id = id
        self.body = body
    }
}

/// One kept rejected body.
public struct StoredText: Sendable, Equatable {
    public var id: Int64
    public var body: String

    public init(id: Int64, body: String) {
        self.id = id
        self.body = body
    }
}
