import Foundation
import Testing
import TriageTesting

@testable import TriageCore

/// Shared helpers for the payload decoder suites: decode a fixture, an inline body or a shared
/// sample through ``SourceKind``, and catch the ``PayloadError`` of a body that must be refused.
enum DecoderFixtures {
    /// The instant the decoders are given as "now" unless a test says otherwise.
    static let now = Date(timeIntervalSince1970: 1_795_946_400)  // 2026-11-29T10:00:00Z

    /// Drafts from `fixtures/payloads/<path>`.
    static func fixture(
        _ kind: SourceKind, _ path: String, mapping: FieldMapping? = nil, source: String = "test"
    ) throws -> [IncidentDraft] {
        try kind.drafts(from: Fixtures.bytes("payloads/" + path), source: source, mapping: mapping, now: now)
    }

    /// Drafts from an inline JSON body.
    static func body(_ kind: SourceKind, _ json: String, mapping: FieldMapping? = nil) throws -> [IncidentDraft] {
        try kind.drafts(from: Array(json.utf8), source: "test", mapping: mapping, now: now)
    }

    /// The error decoding `json` throws; `nil` when it decodes.
    static func error(_ kind: SourceKind, _ json: String, mapping: FieldMapping? = nil) -> PayloadError? {
        do {
            _ = try kind.drafts(from: Array(json.utf8), source: "test", mapping: mapping, now: now)
            return nil
        } catch {
            return error
        }
    }

    /// Drafts from `<shared datasets>/payloads/<name>`.
    static func sample(_ kind: SourceKind, _ name: String) throws -> [IncidentDraft] {
        let datasets = try #require(Fixtures.sharedDatasets)
        let bytes = Array(try Data(contentsOf: datasets.appendingPathComponent("payloads/" + name)))
        return try kind.drafts(from: bytes, source: "sample", now: now)
    }

    /// Whether `date` is the instant `rfc3339` names, to the millisecond.
    static func same(_ date: Date?, _ rfc3339: String) -> Bool {
        guard let date, let expected = RFC3339.parse(rfc3339) else { return false }
        return abs(date.timeIntervalSince1970 - expected.timeIntervalSince1970) < 0.001
    }
}
