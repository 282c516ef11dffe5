import Foundation
import Testing
import TriageCurl
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// Every kind of bad request gets its status and a `{error, detail}` body naming the problem,
/// stores no incident, and leaves a bounded rejected record (without credentials).
struct IngestRejectionTests {
    static let sources = """
        max_body: 4096
        sources:
          - name: generic
            kind: generic
          - name: alertmanager
            kind: alertmanager
          - name: secured
            kind: generic
            auth: {type: bearer, secret_env: SECURED_TOKEN}
          - name: limited
            kind: generic
            rate_limit: {per_second: 0.01, burst: 1}
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var body: [UInt8]
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        var status: Int
        var error: String
        var detail: String
        var jsonPath: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown source", path: "/webhooks/nope", body: Array(#"{"title":"t"}"#.utf8), status: 404,
            error: "not_found", detail: "unknown source 'nope'; configured sources: alertmanager, generic, limited, secured"),
        Case(
            name: "missing token", path: "/webhooks/secured", body: Array(#"{"title":"t"}"#.utf8), status: 401,
            error: "unauthorized", detail: "missing bearer token for source 'secured'"),
        Case(
            name: "wrong token", path: "/webhooks/secured", body: Array(#"{"title":"t"}"#.utf8),
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer not-the-token")], status: 401,
            error: "unauthorized", detail: "wrong bearer token for source 'secured'"),
        Case(
            name: "body over the limit", path: "/webhooks/generic",
            body: Array(#"{"title":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: 5000) + Array(#""}"#.utf8),
            status: 413, error: "body_too_large", detail: "body is larger than 4096 bytes"),
        Case(
            name: "not JSON", path: "/webhooks/generic", body: Array("title=t".utf8), status: 400,
            error: "malformed_body", detail: "generic payload: $: not valid JSON: unexpected byte at offset 1 in a literal", jsonPath: "$"),
        Case(
            name: "invalid UTF-8", path: "/webhooks/generic", body: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], status: 400,
            error: "malformed_body", detail: "generic payload: $: body is not valid UTF-8", jsonPath: "$"),
        Case(
            name: "nesting too deep", path: "/webhooks/generic",
            body: Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8), status: 400,
            error: "malformed_body", detail: "generic payload: $: JSON nesting is deeper than 64 levels", jsonPath: "$"),
        Case(
            name: "missing required field", path: "/webhooks/generic", body: Array(#"{"severity":"critical"}"#.utf8),
            status: 422, error: "invalid_payload", detail: "generic payload: $.title: required field is missing",
            jsonPath: "$.title"),
        Case(
            name: "wrong type deep inside", path: "/webhooks/alertmanager",
            body: Array(#"{"version":"4","status":"firing","alerts":[{"labels":{"alertname":"A"}},{"labels":"x"}]}"#.utf8),
            status: 422, error: "invalid_payload",
            detail: "alertmanager payload: $.alerts[1].labels: expected an object, found a string",
            jsonPath: "$.alerts[1].labels"),
        Case(
            name: "top level is an array", path: "/webhooks/generic", body: Array("[1,2]".utf8), status: 422,
            error: "invalid_payload", detail: "generic payload: $: expected an object, found an array", jsonPath: "$"),
        Case(
            name: "form-encoded body", path: "/webhooks/generic", body: Array("payload=%7B%7D".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded")], status: 415,
            error: "unsupported_media_type",
            detail: "content type 'application/x-www-form-urlencoded' is not JSON; send application/json"),
    ]

    @Test func badRequestsAreAnsweredPreciselyAndStoreNothing() async throws {
        try await IngestHarness.with(sources: Self.sources, environment: ["SECURED_TOKEN": "s3cret-token"]) {
            base, store, http in
            for item in Self.cases {
                let response = try await http.post(base + item.path, item.body, headers: item.headers)
                #expect(response.status == item.status, "\(item.name): \(response.text)")
                let body = try response.decoded(ErrorBody.self)
                #expect(body == ErrorBody(error: item.error, detail: item.detail, path: item.jsonPath), "\(item.name)")
            }
            let counts = try await store.counts()
            #expect(counts["incident"] == 0)
            #expect(counts["rawPayload"] == 0)
            let rejected = try await store.rejectedPayloads(source: nil, limit: 100)
            #expect(rejected.count == Self.cases.count)
            #expect(rejected.map(\.status).sorted() == Self.cases.map(\.status).sorted())
            // Credentials never reach the record; unauthenticated bodies are not kept at all.
            for record in rejected where record.status == 401 || record.status == 404 {
                #expect(record.body.isEmpty)
            }
            #expect(!rejected.contains { $0.body.contains("not-the-token") || $0.reason.contains("not-the-token") })
            let shaped = try #require(rejected.first { $0.status == 422 && $0.source == "alertmanager" })
            #expect(shaped.body.contains(#""labels":"x""#))
        }
    }

    @Test func overTheRateLimitIs429WithRetryAfter() async throws {
        try await IngestHarness.with(sources: Self.sources) { base, store, http in
            let first = try await http.post(base + "/webhooks/limited", #"{"title":"first"}"#)
            #expect(first.status == 202)
            let second = try await http.post(base + "/webhooks/limited", #"{"title":"second"}"#)
            #expect(second.status == 429)
            let retryAfter = try #require(second.header("Retry-After").flatMap(Int.init))
            #expect((1...100).contains(retryAfter))
            #expect(try second.decoded(ErrorBody.self).error == "rate_limited")
            // Other sources have their own budget.
            #expect(try await http.post(base + "/webhooks/generic", #"{"title":"other"}"#).status == 202)
            #expect(try await store.counts()["incident"] == 2)
        }
    }

    /// With its secret variable unset, a bearer source falls back to loopback-only (the 403 for a
    /// remote peer is covered in `SourceAuthenticatorTests`, since tests can only connect over loopback).
    @Test func unsetSecretFallsBackToLoopbackOnly() async throws {
        try await IngestHarness.with(sources: Self.sources) { base, _, http in
            let response = try await http.post(base + "/webhooks/secured", #"{"title":"t"}"#)
            #expect(response.status == 202)
        }
    }
}
