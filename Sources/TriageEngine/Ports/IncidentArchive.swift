import Foundation
import TriageCore

/// One incident with everything recorded about it, as `triage export` writes it (one JSON line
/// each) and `triage import` reads it back: nothing stays locked in the store.
public struct IncidentArchive: Sendable, Codable, Equatable {
    public struct Payload: Sendable, Codable, Equatable {
        public var id: Int64
        public var source: String
        public var contentType: String?
        /// The body as text (invalid UTF-8 replaced).
        public var body: String
        public var receivedAt: Date

        public init(id: Int64, source: String, contentType: String?, body: String, receivedAt: Date) {
            self.id = id
            self.source = source
            self.contentType = contentType
            self.body = body
            self.receivedAt = receivedAt
        }
    }

    public var payload: Payload
    /// The incident and everything recorded about it, as `GET /api/incidents/{id}` shows it.
    public var detail: IncidentDetail

    public init(payload: Payload, detail: IncidentDetail) {
        self.payload = payload
        self.detail = detail
    }
}

/// Export and import of whole incidents.
public protocol IncidentArchiveStore: Sendable {
    /// Every incident (or those assigned or delivered to `vendor`), oldest first.
    func archives(vendor: String?) async throws -> [IncidentArchive]
    /// Writes archived incidents into this store; an incident whose id exists is skipped.
    /// - Returns: How many were written.
    func restore(_ archives: [IncidentArchive]) async throws -> Int
}
