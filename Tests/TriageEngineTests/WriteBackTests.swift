import Foundation
import Logging
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// The assignment posted back to the ticketing system an incident came from, through the outbox.
struct WriteBackTests {
    let logger = Logger(label: "test")

    /// Triages one incident from `draft` to vendor `acme` with `writeBack` configured, then
    /// dispatches everything; returns what the sink got and the stored incident.
    func run(
        _ draft: IncidentDraft, writeBack: @escaping @Sendable (Int) -> WriteBack, sink: VendorSink,
        environment: @escaping @Sendable (String) -> String? = { _ in nil }
    ) async throws -> IncidentDetail {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try await RunningService.withSink(sink) { (port: Int) async throws -> IncidentDetail in
            let clock = TestClock()
            let store = try SQLiteStore(path: directory.path("t.sqlite"))
            let raw = RawPayload(source: draft.source, contentType: nil, body: [], receivedAt: clock.now())
            let id = try await store.accept([draft], raw: raw)[0].id
            let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/acme")
            let target = writeBack(port)
            let worker = TriageWorker(
                queue: store,
                policies: PolicyHolder(TriagePolicy(rules: RuleSet(rules: []), vendors: [vendor], defaultVendor: "acme")),
                clock: clock, configuration: .init(owner: "w"), writeBacks: [target], logger: logger)
            #expect(try await worker.runOnce() == 1)
            let dispatcher = Dispatcher(
                outbox: store,
                notifier: CurlVendorNotifier(
                    client: CurlHTTPClient(), vendors: [vendor], writeBacks: [target], settings: DeliverySettings(),
                    environment: environment),
                clock: clock, configuration: .init(owner: "d"), logger: logger)
            _ = try await dispatcher.runOnce()
            return try #require(try await store.incident(id))
        }
    }

    @Test func jiraTicketGetsACommentWithTheAssignment() async throws {
        let sink = VendorSink()
        let detail = try await run(
            IncidentDraft(source: "jira", externalID: "OPS-7", title: "Payroll export fails"),
            writeBack: { port in
                WriteBack(
                    source: "jira", endpoint: "http://127.0.0.1:\(port)/rest/api/2/issue/{external_id}/comment",
                    format: .jiraComment, target: DeliveryTarget(name: "", headerEnv: ["Authorization": "JIRA_AUTH"]))
            },
            sink: sink, environment: { $0 == "JIRA_AUTH" ? "Basic dHJpYWdlOnNlY3JldA==" : nil })
        let byPath = Dictionary(uniqueKeysWithValues: sink.received.map { ($0.path, $0) })
        #expect(Set(byPath.keys) == ["/acme", "/rest/api/2/issue/OPS-7/comment"])
        let comment = try #require(byPath["/rest/api/2/issue/OPS-7/comment"])
        #expect(comment.method == "POST")
        #expect(comment.headers["authorization"] == "Basic dHJpYWdlOnNlY3JldA==")
        #expect(comment.headers["idempotency-key"] == "\(detail.incident.id.rawValue)-1-write-back")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(comment.body)) as? [String: String])
        let note = try #require(body["body"])
        #expect(note.hasPrefix("triage assigned this incident to acme at priority"))
        #expect(note.contains(detail.incident.id.rawValue))
        // The vendor's own message never carries the write-back's credentials.
        #expect(byPath["/acme"]?.headers["authorization"] == nil)
        #expect(detail.deliveries.count == 2)
        #expect(detail.deliveries.allSatisfy { $0.status == "delivered" })
        #expect(detail.decision?.explanation.contains { $0.hasPrefix("assignment posted back to jira (POST") } == true)
    }

    @Test func serviceNowRecordGetsAWorkNoteByPatch() async throws {
        let sink = VendorSink()
        _ = try await run(
            IncidentDraft(source: "servicenow", externalID: "9d385017c611228701d22104cc95c371", title: "VPN down"),
            writeBack: { port in
                WriteBack(
                    source: "servicenow", endpoint: "http://127.0.0.1:\(port)/api/now/table/incident/{external_id}",
                    format: .servicenowWorkNote)
            },
            sink: sink)
        let note = try #require(sink.received.first { $0.path.hasPrefix("/api/now/table/incident/") })
        #expect(note.method == "PATCH")
        #expect(note.path == "/api/now/table/incident/9d385017c611228701d22104cc95c371")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(note.body)) as? [String: String])
        #expect(body["work_notes"]?.contains("acme") == true)
    }

    @Test func gitHubIssueCommentUsesTheRepositoryLabelAndIssueNumber() async throws {
        let sink = VendorSink()
        _ = try await run(
            IncidentDraft(
                source: "github", externalID: "acme corp/billing#12", title: "Invoices are blank",
                labels: ["repository": "acme corp/billing"]),
            writeBack: { port in
                WriteBack(
                    source: "github",
                    endpoint: "http://127.0.0.1:\(port)/repos/{label.repository}/issues/{external_number}/comments",
                    format: .githubComment)
            },
            sink: sink)
        // The space is escaped, the slash of owner/name kept.
        #expect(sink.received.map(\.path).sorted() == ["/acme", "/repos/acme%20corp/billing/issues/12/comments"])
    }

    @Test func anIncidentWithoutTheTicketIdIsDispatchedAndSaysWhyNothingWasWrittenBack() async throws {
        let sink = VendorSink()
        let detail = try await run(
            IncidentDraft(source: "jira", title: "No key"),
            writeBack: { port in
                WriteBack(
                    source: "jira", endpoint: "http://127.0.0.1:\(port)/rest/api/2/issue/{external_id}/comment",
                    format: .jiraComment)
            },
            sink: sink)
        #expect(sink.received.map(\.path) == ["/acme"])
        #expect(
            detail.decision?.explanation.contains("no write-back to jira: the incident has no external_id for the write-back endpoint")
                == true)
    }

    @Test func urlPlaceholdersAreFilledAndEscaped() throws {
        let draft = IncidentDraft(source: "github", externalID: "o/r#7", title: "t", labels: ["repository": "o/r", "team": "a&b"])
        let incident = Incident(
            id: try #require(IncidentID("01J00000000000000000000000")), draft: draft, receivedAt: Date(timeIntervalSince1970: 0),
            rawPayloadID: 1)
        let writeBack = WriteBack(
            source: "github", endpoint: "https://h/repos/{label.repository}/issues/{external_number}?team={label.team}",
            format: .githubComment)
        #expect(try writeBack.url(for: incident).get() == "https://h/repos/o/r/issues/7?team=a%26b")
        let missing = WriteBack(source: "github", endpoint: "https://h/{label.nope}", format: .githubComment)
        #expect(throws: WriteBackError.self) { try missing.url(for: incident).get() }
        #expect(writeBack.target.name == "write-back:github")
        #expect(WriteBack(source: "sn", endpoint: "https://h", format: .servicenowWorkNote).method == "PATCH")
    }
}
