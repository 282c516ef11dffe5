import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("Generic payloads read through a field mapping")
struct GenericMappingTests {
    static func path(_ text: String) -> JSONPath {
        do { return try JSONPath(parsing: text) } catch { fatalError("bad test path \(text): \(error.message)") }
    }

    /// The mapping `generic/mapped.json` is written for.
    static let checks = FieldMapping(
        items: path("$.events"), title: path("$.check.name"), description: path("$.check.output"),
        severity: path("$.level"), service: path(#"$["service name"]"#), dedupKey: path("$.check.id"),
        status: path("$.state"), occurredAt: path("$.time"), link: path("$.url"),
        labels: ["team": path("$.owner.team")], labelsFrom: path("$.tags"), resolvedValues: ["up", "ok"])

    @Test func itemsGiveOneDraftEach() throws {
        let drafts = try DecoderFixtures.fixture(.generic, "generic/mapped.json", mapping: Self.checks)
        #expect(drafts.count == 2)
        let down = try #require(drafts.first)
        #expect(down.title == "Homepage reachable")
        #expect(down.description == "HTTP 503 from https://www.example.com")
        #expect(down.dedupKey == "chk-101")
        #expect(down.severity == .critical)
        #expect(down.service == "website")
        #expect(down.action == .trigger, "DOWN is not a resolved value")
        #expect(down.labels == ["team": "web", "env": "prod", "region": "eu-west-1", "attempts": "3"])
        #expect(down.link == "https://status.example.com/checks/chk-101")
        #expect(DecoderFixtures.same(down.occurredAt, "2026-11-29T09:30:00Z"), "epoch seconds")
        let up = try #require(drafts.last)
        #expect(up.action == .resolve, "'Up' matches 'up' case-insensitively")
        #expect(up.dedupKey == "chk-102")
        #expect(up.service == nil)
        #expect(up.labels == ["team": "api", "env": "prod"])
    }

    @Test func withoutItemsTheBodyIsOneIncident() throws {
        let mapping = FieldMapping(
            title: Self.path("$.alert.name"), status: Self.path("$.alert.state"), labels: ["env": Self.path("$.env")],
            labelsFrom: Self.path("$.meta"))
        let body = #"{"alert": {"name": "Queue stuck", "state": "ACK"}, "env": "prod", "meta": {"env": "staging", "owner": "ops"}}"#
        let drafts = try DecoderFixtures.body(.generic, body, mapping: mapping)
        #expect(drafts.count == 1)
        #expect(drafts.first?.title == "Queue stuck")
        #expect(drafts.first?.dedupKey == "Queue stuck", "no dedup path: the title")
        #expect(drafts.first?.action == .acknowledge, "ACK is a default acknowledged value")
        #expect(drafts.first?.labels == ["env": "prod", "owner": "ops"], "a mapped label wins over labels_from")
    }

    @Test func itemsAtTheRootReadATopLevelArray() throws {
        let mapping = FieldMapping(items: Self.path("$"), title: Self.path("$.name"), status: Self.path("$.status"))
        let drafts = try DecoderFixtures.body(.generic, #"[{"name": "a"}, {"name": "b", "status": "Resolved"}]"#, mapping: mapping)
        #expect(drafts.map(\.title) == ["a", "b"])
        #expect(drafts.map(\.action) == [.trigger, .resolve])
        #expect(try DecoderFixtures.body(.generic, #"{"events": []}"#, mapping: Self.checks).isEmpty)
    }

    @Test(arguments: [
        (#"{"events": [{"check": {"name": "a"}}, {"check": {"id": "x"}}]}"#, "$.events[1].check.name", "required field is missing"),
        (#"{"events": [{"check": {"name": "  "}}]}"#, "$.events[0].check.name", "must not be empty"),
        (#"{"items": []}"#, "$.events", "required field is missing"),
        (#"{"events": {"check": {"name": "a"}}}"#, "$.events", "expected an array, found an object"),
        (#"{"events": [{"check": {"name": "a"}, "tags": "prod"}]}"#, "$.events[0].tags", "expected an object, found a string"),
        (#"{"events": [{"check": {"name": "a"}, "owner": {"team": {"id": 4}}}]}"#,
         "$.events[0].owner.team", "expected a string, found an object"),
        (#"{"events": [{"check": {"name": "a"}, "time": "last tuesday"}]}"#,
         "$.events[0].time", "expected a timestamp, found 'last tuesday'"),
    ])
    func shapeErrorsNameTheMappedPath(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.generic, body, mapping: Self.checks)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test func withoutItemsTheBodyMustBeAnObject() {
        let mapping = FieldMapping(title: Self.path("$[0].name"))
        let error = DecoderFixtures.error(.generic, #"[{"name": "a"}]"#, mapping: mapping)
        #expect(error == PayloadError(path: "$", message: "expected an object, found an array"))
    }
}
