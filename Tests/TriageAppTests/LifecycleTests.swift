import Crypto
import Foundation
import Testing
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

struct PhaseView: Decodable {
    struct TimerView: Decodable {
        var kind: String
        var status: String
    }
    struct EventView: Decodable {
        var kind: String
        var detail: String
    }
    var timers: [TimerView]
    var events: [EventView]
    var phase: String?
    var vendorTicket: String?
}

extension EndToEndTests {
    /// A vendor's Jira issue key, learnt from its answer at dispatch, routes its Jira webhooks
    /// back to our incident: In Progress acknowledges (the response clock stops), Waiting for
    /// customer pauses, Done resolves; the vendor then closes it through the callback API, which
    /// is authenticated, idempotent and refuses what the lifecycle does not allow.
    @Test func anIncidentLivesItsWholeLifeByWebhooks() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink(responseBody: Array(#"{"id":"10042","key":"ACME-42","self":"https://acme.example/rest/api/2/issue/10042"}"#.utf8))
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            var configuration = try ConfigLoader.load(directory: configPath)
            var feedback = SourceDefinition(name: "acme-jira", kind: .jira)
            feedback.feedback = VendorFeedback(
                vendor: "acme-dba",
                statuses: ["In Progress": .acknowledge, "Waiting for customer": .pause, "Back in progress": .resume])
            configuration.sources.append(feedback)
            let acme = try #require(configuration.vendors.firstIndex { $0.name == "acme-dba" })
            configuration.vendors[acme].callbackTokenEnv = "ACME_CALLBACK_TOKEN"
            configuration.vendors[acme].callbackSecretEnv = "ACME_CALLBACK_SECRET"
            let environment = ["ACME_CALLBACK_TOKEN": "acme-token", "ACME_CALLBACK_SECRET": "acme-secret"]
            let store = try SQLiteStore(path: directory.path("triage.sqlite"))
            try await withServer(configuration, store: store, reloadFrom: configPath, environment: environment) { base in
                let id = try #require(try await postAlert(base).accepted.incidents.first?.id)
                _ = try await waitFor(base, id) { $0.deliveries.first?.status == "delivered" }
                func phase() async throws -> String? {
                    try await store.incident(try #require(IncidentID(id)))?.incident.status.rawValue
                }
                func jira(_ status: String, category: String = "indeterminate") async throws -> Int {
                    let body = """
                        {"webhookEvent": "jira:issue_updated", "issue": {"key": "ACME-42", "fields": {
                          "summary": "Database down", "status": {"name": "\(status)", "statusCategory": {"key": "\(category)"}}}}}
                        """
                    return try await client.execute(
                        HTTPClientRequest(
                            method: "POST", url: "\(base)/webhooks/acme-jira", headers: [("Content-Type", "application/json")],
                            body: Array(body.utf8))
                    ).status
                }
                func detail() async throws -> PhaseView {
                    let response = try await client.execute(HTTPClientRequest(url: "\(base)/api/incidents/\(id)"))
                    return try JSONDecoder().decode(PhaseView.self, from: Data(response.body))
                }

                #expect(try await detail().vendorTicket == "ACME-42")  // from the vendor's answer at dispatch
                #expect(try await detail().phase == "assigned")
                // In Progress: acknowledged by the vendor's own Jira, the acknowledge clock stops.
                #expect(try await jira("In Progress") == 202)
                #expect(try await phase() == "acknowledged")
                let acknowledged = try await detail()
                #expect(acknowledged.timers.filter { $0.kind == "acknowledge" }.allSatisfy { $0.status != "pending" })
                #expect(acknowledged.timers.contains { $0.kind == "resolve" && $0.status == "pending" })
                #expect(acknowledged.events.contains { $0.kind == "acknowledge" && $0.detail.contains("source:acme-jira") })

                // Waiting for customer pauses; Back in progress resumes.
                #expect(try await jira("Waiting for customer") == 202)
                #expect(try await detail().timers.allSatisfy { $0.status != "pending" })
                #expect(try await detail().phase == "paused")
                #expect(try await jira("Back in progress") == 202)
                #expect(try await detail().phase == "acknowledged")
                // Done resolves.
                #expect(try await jira("Done", category: "done") == 202)
                #expect(try await phase() == "resolved")
                #expect(try await detail().timers.allSatisfy { $0.status != "pending" })

                // The vendor closes it through the callback API, with its token.
                func callback(_ json: String, headers: [(name: String, value: String)]) async throws -> (Int, String) {
                    let response = try await client.execute(
                        HTTPClientRequest(
                            method: "POST", url: "\(base)/api/incidents/\(id)/events",
                            headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8)))
                    return (response.status, String(decoding: response.body, as: UTF8.self))
                }
                let token = [("X-Triage-Vendor", "acme-dba"), ("Authorization", "Bearer acme-token")]
                let close = #"{"event_id": "acme-1", "action": "close", "actor": "jane@acme.example"}"#
                let closed = try await callback(close, headers: token)
                #expect(closed.0 == 200)
                #expect(closed.1.contains(#""to":"closed""#))
                // The same event again: nothing new, the first answer repeated.
                let again = try await callback(close, headers: token)
                #expect(again.0 == 200)
                #expect(again.1.contains("duplicate") && again.1.contains("resolved → closed"))
                // Illegal: acknowledging a closed incident.
                let illegal = try await callback(#"{"event_id": "acme-2", "action": "acknowledge"}"#, headers: token)
                #expect(illegal.0 == 409)
                #expect(illegal.1.contains("cannot acknowledge an incident that is closed (allowed: close, comment)"))
                // A signed comment (HMAC like our deliveries) is accepted.
                let comment = Array(#"{"event_id": "acme-3", "action": "comment", "comment": "root cause: disk"}"#.utf8)
                let stamp = Int(Date().timeIntervalSince1970)
                let signed = try await client.execute(
                    HTTPClientRequest(
                        method: "POST", url: "\(base)/api/incidents/\(id)/events",
                        headers: [
                            ("Content-Type", "application/json"), ("X-Triage-Vendor", "acme-dba"),
                            ("X-Triage-Timestamp", String(stamp)),
                            ("X-Triage-Signature", "sha256=" + DeliverySignature.sign(secret: "acme-secret", body: comment, timestamp: stamp)),
                        ],
                        body: comment))
                #expect(signed.status == 200)
                // Wrong token, another vendor, no event id, unknown action.
                #expect(try await callback(#"{"event_id": "x", "action": "comment"}"#, headers: [("X-Triage-Vendor", "acme-dba"), ("Authorization", "Bearer nope")]).0 == 401)
                #expect(try await callback(#"{"event_id": "x", "action": "comment"}"#, headers: [("X-Triage-Vendor", "globex-infra")]).0 == 401)
                #expect(try await callback(#"{"action": "comment"}"#, headers: token).0 == 400)
                #expect(try await callback(#"{"event_id": "y", "action": "dance"}"#, headers: token).1.contains("is not one of acknowledge"))
                #expect(try await detail().phase == "closed")
                let events = try await detail().events.map(\.kind)
                #expect(events.contains("illegal-transition"))
                #expect(events.contains("close") && events.contains("comment"))
            }
            // The report over today counts it for acme-dba: acknowledged and resolved in time.
            let day = String(RFC3339.format(Date()).prefix(10))
            let tomorrow = String(RFC3339.format(Date().addingTimeInterval(86_400)).prefix(10))
            let report = try await TriageProcess.run([
                "report", "sla", "--from", day, "--to", tomorrow, "--format", "csv", "--store", "sqlite:" + directory.path("triage.sqlite"),
            ])
            #expect(report.status == 0)
            let rows = report.stdout.split(whereSeparator: \.isNewline).map(String.init)
            let header = rows.first?.split(separator: ",").map(String.init) ?? []
            let acmeRow = try #require(rows.first { $0.hasPrefix("priority,acme-dba,P1,") }, "report:\n\(report.stdout)\n\(report.stderr)")
            let fields = Dictionary(uniqueKeysWithValues: zip(header, acmeRow.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
            #expect(fields["incidents"] == "1")
            #expect(fields["acknowledge_met"] == "1")
            #expect(fields["resolve_met"] == "1")
            #expect(fields["resolve_breaches"] == "0")
            let html = try await TriageProcess.run([
                "report", "sla", "--from", day, "--to", tomorrow, "--format", "html", "--store", "sqlite:" + directory.path("triage.sqlite"),
            ])
            #expect(html.status == 0 && html.stdout.contains("<svg") && html.stdout.contains("acme-dba"))
        }
    }
}
