import Foundation
import Logging
import Testing
import TriageApp
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// The whole path in one process, with real parts: HTTP over 127.0.0.1, a temp SQLite file,
/// the worker, the dispatcher through libcurl, and a local endpoint standing for the vendor.
struct EndToEndTests {
    let client = CurlHTTPClient()

    /// Runs a whole server (role `role`) on an ephemeral port for the length of `body`.
    func withServer(
        _ configuration: TriageConfiguration,
        store: SQLiteStore,
        role: TriageServer.Role = .all,
        reloadFrom: String? = nil,
        environment: [String: String] = [:],
        _ body: @Sendable (String) async throws -> Void
    ) async throws {
        var options = TriageServer.Options()
        options.port = 0
        options.role = role
        options.environment = environment
        options.workerPoll = .milliseconds(50)
        options.dispatcherPoll = .milliseconds(50)
        let ready = PortWaiter()
        let server = TriageServer(
            configuration: configuration, store: store, clock: SystemClock(), options: options, reloadFrom: reloadFrom,
            logger: Logger(label: "e2e"), onServerRunning: { await ready.report($0) })
        try await RunningService.with(server.services, ready: ready) { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }

    /// Posts the sample Alertmanager webhook; returns the status and the accepted incidents.
    func postAlert(_ base: String) async throws -> (status: Int, accepted: AcceptedView) {
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: "\(base)/webhooks/alertmanager", headers: [("Content-Type", "application/json")],
                body: try Fixtures.bytes("payloads/alertmanager-firing.json")))
        return (response.status, try JSONDecoder().decode(AcceptedView.self, from: Data(response.body)))
    }

    /// Polls the API until `done` holds for the incident, for up to ten seconds.
    func waitFor(
        _ base: String, _ id: String, token: String? = nil, until done: (IncidentDetailView) -> Bool
    ) async throws -> IncidentDetailView {
        var last: IncidentDetailView?
        let headers = token.map { [(name: "Authorization", value: "Bearer \($0)")] } ?? []
        for _ in 0..<1000 {
            let response = try await client.execute(HTTPClientRequest(url: "\(base)/api/incidents/\(id)", headers: headers))
            let detail = try JSONDecoder().decode(IncidentDetailView.self, from: Data(response.body))
            if done(detail) { return detail }
            last = detail
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("incident \(id) never reached the expected state; last seen: \(String(describing: last))")
        throw CancellationError()
    }

    @Test func alertmanagerWebhookIsTriagedAndDeliveredToTheVendor() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            let configuration = try ConfigLoader.load(directory: configPath)
            let store = try SQLiteStore(path: directory.path("triage.sqlite"))
            try await withServer(configuration, store: store) { base in
                let (status, accepted) = try await postAlert(base)
                #expect(status == 202)
                #expect(accepted.incidents.map(\.outcome) == ["created"])
                let id = try #require(accepted.incidents.first?.id)

                let detail = try await waitFor(base, id) { $0.deliveries.first?.status == "delivered" }
                #expect(detail.decision?.vendor == "acme-dba")
                #expect(detail.decision?.category == "database")
                #expect(detail.decision?.priority == "P1")
                #expect(detail.decision?.explanation.contains("vendor 'acme-dba' named by rule") == true)
                #expect(detail.incident.status == "assigned")
                #expect(detail.timers.map(\.kind) == ["acknowledge", "resolve"])

                let received = try #require(sink.received.first)
                #expect(sink.received.count == 1)
                #expect(received.path == "/acme")
                #expect(received.headers["idempotency-key"] == "\(id)-1")
                let body = try JSONDecoder().decode(VendorMessage.self, from: Data(received.body))
                #expect(body.incident.id == id)
                #expect(body.incident.title == "Postgres replication lag above 30s on pg-billing-2")
                #expect(body.incident.externalID == "7c1f0d3a9be45e21")
                #expect(body.assignment.vendor == "acme-dba")
                #expect(body.assignment.priority == "P1")
                #expect(body.assignment.acknowledgeBy != nil)

                // The re-fire lands on the same incident and sends nothing new.
                let refire = try await postAlert(base).accepted
                #expect(refire.incidents.map(\.id) == [id])
                #expect(refire.incidents.map(\.outcome) == ["deduplicated"])
            }
        }
    }

    @Test func badInputGetsAClearAnswerAndIsKept() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try ConfigLoader.load(directory: Fixtures.rulesDirectory)
        let store = try SQLiteStore(path: directory.path("triage.sqlite"))
        try await withServer(configuration, store: store, role: .receiver) { base in
            let json = [(name: "Content-Type", value: "application/json")]
            let bad = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: "\(base)/webhooks/alertmanager", headers: json,
                    body: Array(#"{"alerts": [{}]}"#.utf8)))
            #expect(bad.status == 422)
            #expect(
                String(decoding: bad.body, as: UTF8.self)
                    == #"{"detail":"alertmanager payload: $.alerts[0]: has neither annotations.summary nor labels.alertname","error":"invalid_payload","path":"$.alerts[0]"}"#
            )
            let unknown = try await client.execute(HTTPClientRequest(method: "POST", url: "\(base)/webhooks/zabbix", headers: json, body: [1]))
            #expect(unknown.status == 404)
            let big = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: "\(base)/webhooks/generic", headers: json,
                    body: [UInt8](repeating: 32, count: 2 << 20)))
            #expect(big.status == 413)
            let badID = try await client.execute(HTTPClientRequest(url: "\(base)/api/incidents/nope"))
            #expect(badID.status == 400)
            let missing = try await client.execute(HTTPClientRequest(url: "\(base)/api/incidents/01M3250V00FV6R2M1YJ2H83N65"))
            #expect(missing.status == 404)
            #expect(try await client.execute(HTTPClientRequest(url: "\(base)/healthz")).status == 200)
            #expect(try await client.execute(HTTPClientRequest(url: "\(base)/readyz")).status == 200)
            // Still serving after all of that.
            let good = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: "\(base)/webhooks/generic", headers: json, body: Array(#"{"title":"ok"}"#.utf8)))
            #expect(good.status == 202)
        }
        let counts = try await store.counts()
        #expect(counts["rejectedPayload"] == 3)
        #expect(counts["incident"] == 1)
    }
}

/// The API's JSON, read the way a client would.
struct IncidentDetailView: Decodable {
    struct IncidentView: Decodable { var status: String }
    struct DecisionView: Decodable {
        var vendor: String?
        var category: String?
        var priority: String
        var explanation: [String]
    }
    struct DeliveryView: Decodable {
        var status: String
        var attempts: [AttemptView]
    }
    struct AttemptView: Decodable { var number: Int }
    struct TimerView: Decodable { var kind: String }

    var incident: IncidentView
    var queueState: String?
    var decision: DecisionView?
    var deliveries: [DeliveryView]
    var timers: [TimerView]
}

struct AcceptedView: Decodable {
    struct Entry: Decodable {
        var id: String
        var outcome: String
    }
    var incidents: [Entry]
}
