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

/// Reloading rules: a valid set replaces the old one atomically; an invalid one is refused with
/// its problems and the old rules keep deciding.
struct ReloadTests {
    static let validRules = """
        rules:
          - name: only-database
            when: {text: {contains_any: [database]}}
            then: {category: database}
        """
    static let newRules = """
        rules:
          - name: database
            when: {text: {contains_any: [database]}}
            then: {category: db-v2}
          - name: network
            when: {text: {contains_any: [network]}}
            then: {category: network}
        """

    @Test func adminReloadSwapsValidRulesAndKeepsOldOnesOnError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:9")
        try Self.validRules.write(toFile: config + "/rules.yaml", atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: config + "/tests")
        let configuration = try ConfigLoader.load(directory: config)
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        var options = TriageServer.Options()
        options.port = 0
        options.role = .all
        options.environment = [:]
        let ready = PortWaiter()
        let server = TriageServer(
            configuration: configuration, store: store, clock: SystemClock(), options: options, reloadFrom: config,
            logger: Logger(label: "reload-test"), onServerRunning: { await ready.report($0) })
        let incident = makeTestIncident(title: "database slow")
        let policies = server.policies
        #expect(policies.current.triage(incident, now: Date()).category == "database")
        let client = CurlHTTPClient()
        try await RunningService.with(server.services, ready: ready) { port in
            let url = "http://127.0.0.1:\(port)/admin/reload"
            try Self.newRules.write(toFile: config + "/rules.yaml", atomically: true, encoding: .utf8)
            let ok = try await client.execute(HTTPClientRequest(method: "POST", url: url))
            #expect(ok.status == 200, "\(String(decoding: ok.body, as: UTF8.self))")
            let result = try JSONDecoder().decode(ReloadResult.self, from: Data(ok.body))
            #expect(result == ReloadResult(reloaded: true, version: 2, rules: 2, problems: []))
            #expect(policies.current.triage(incident, now: Date()).category == "db-v2")

            try "rules:\n  - name: broken\n    when: {colour: red}\n    then: {category: x}\n"
                .write(toFile: config + "/rules.yaml", atomically: true, encoding: .utf8)
            let refused = try await client.execute(HTTPClientRequest(method: "POST", url: url))
            #expect(refused.status == 422)
            let body = String(decoding: refused.body, as: UTF8.self)
            #expect(body.contains("invalid_configuration"))
            #expect(body.contains("rules.yaml:3:12: unknown condition 'colour'"))
            #expect(policies.snapshot.version == 2)
            #expect(policies.current.triage(incident, now: Date()).category == "db-v2")
        }
    }
}

func makeTestIncident(title: String) -> Incident {
    var generator = SystemRandomNumberGenerator()
    let now = Date()
    return Incident(
        id: IncidentID(now: now, using: &generator), draft: IncidentDraft(source: "generic", title: title), receivedAt: now,
        rawPayloadID: 0)
}
