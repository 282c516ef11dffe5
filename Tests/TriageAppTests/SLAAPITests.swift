import Foundation
import Testing
import TriageConfig
import TriageCore
import TriageCurl
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

struct AtRiskView: Decodable {
    struct Entry: Decodable {
        var incident: String
        var target: String
        var breached: Bool
        var business_seconds_left: Int
        var vendor: String
    }
    var within: String
    var incidents: [Entry]
}

extension EndToEndTests {
    /// `GET /api/sla/at-risk`, pausing and resuming through the API, and `triage sla at-risk`.
    @Test func atRiskListsRunningClocksAndPausingTakesAnIncidentOff() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await RunningService.withSink(VendorSink()) { (sinkPort: Int) async throws -> Void in
            let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            let configuration = try ConfigLoader.load(directory: configPath)
            let dbPath = directory.path("triage.sqlite")
            let store = try SQLiteStore(path: dbPath)
            try await withServer(configuration, store: store, reloadFrom: configPath) { base in
                func atRisk(_ within: String) async throws -> AtRiskView {
                    let response = try await client.execute(HTTPClientRequest(url: "\(base)/api/sla/at-risk?within=\(within)"))
                    #expect(response.status == 200)
                    return try JSONDecoder().decode(AtRiskView.self, from: Data(response.body))
                }
                func post(_ action: String, _ id: String) async throws -> Int {
                    try await client.execute(
                        HTTPClientRequest(
                            method: "POST", url: "\(base)/api/incidents/\(id)/\(action)",
                            headers: [("Content-Type", "application/json")], body: Array(#"{"reason":"customer asked to wait"}"#.utf8))
                    ).status
                }
                let id = try #require(try await postAlert(base).accepted.incidents.first?.id)
                let triaged = try await waitFor(base, id) { $0.decision != nil }
                #expect(triaged.decision?.priority == "P1")
                // The sample rules put this alert under SLA policy 'expedite': acknowledge in 5 min, resolve in 2 h.
                #expect(triaged.decision?.explanation.contains { $0.hasPrefix("SLA P1 from SLA policy 'expedite'") } == true)

                let soon = try await atRisk("30m").incidents
                #expect(soon.map(\.incident) == [id])
                #expect(soon.first?.target == "acknowledge")
                #expect(soon.first?.vendor == "acme-dba")
                #expect(soon.first?.breached == false)
                #expect((200...300).contains(soon.first?.business_seconds_left ?? 0))
                #expect(try await atRisk("5h").incidents.map(\.target) == ["acknowledge", "resolve"])
                #expect(try await atRisk("1m").incidents.isEmpty)
                let cli = try await TriageProcess.run(["sla", "at-risk", "--within", "1h", "--store", "sqlite:" + dbPath])
                #expect(cli.status == 0)
                #expect(cli.stdout.contains(id))
                #expect(cli.stdout.contains("acknowledge"))

                #expect(try await post("pause", id) == 200)
                #expect(try await post("pause", id) == 409)
                #expect(try await atRisk("5h").incidents.isEmpty)  // paused clocks have no deadline
                #expect(try await post("resume", id) == 200)
                var back: [AtRiskView.Entry] = []
                for _ in 0..<500 where back.isEmpty {
                    back = try await atRisk("5h").incidents
                    if back.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
                }
                #expect(back.map(\.target) == ["acknowledge", "resolve"])
                #expect(try await post("resume", id) == 409)
                let bad = try await client.execute(HTTPClientRequest(url: "\(base)/api/sla/at-risk?within=soon"))
                #expect(bad.status == 400)
                #expect(String(decoding: bad.body, as: UTF8.self).contains("within 'soon' is not a duration"))
            }
        }
    }
}
