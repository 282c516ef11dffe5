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

extension EndToEndTests {
    /// An operator moves a delivered incident to another vendor: the new vendor gets it, the
    /// clocks restart under its contract, the load counters move, the history says why.
    @Test func reassignmentDeliversToTheNewVendorAndMovesTheCounters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            let configuration = try ConfigLoader.load(directory: configPath)
            let store = try SQLiteStore(path: directory.path("triage.sqlite"))
            try await withServer(configuration, store: store, reloadFrom: configPath) { base in
                let id = try #require(try await postAlert(base).accepted.incidents.first?.id)
                _ = try await waitFor(base, id) { $0.deliveries.first?.status == "delivered" }
                #expect(try await store.vendorStats(since: Date(timeIntervalSince1970: 0))["acme-dba"]?.open == 1)

                let url = "\(base)/api/incidents/\(id)/reassign"
                let moved = try await client.execute(
                    HTTPClientRequest(
                        method: "POST", url: url, headers: [("Content-Type", "application/json")],
                        body: Array(#"{"vendor": "globex-infra", "reason": "acme is on strike"}"#.utf8)))
                #expect(moved.status == 200, "\(String(decoding: moved.body, as: UTF8.self))")
                let detail = try await waitFor(base, id) { $0.deliveries.count == 2 && $0.deliveries[1].status == "delivered" }
                #expect(detail.decision?.vendor == "globex-infra")
                #expect(detail.decision?.explanation.last?.hasSuffix(": acme is on strike") == true)
                #expect(sink.received.map(\.path) == ["/acme", "/globex"])
                let stats = try await store.vendorStats(since: Date(timeIntervalSince1970: 0))
                #expect(stats["acme-dba"]?.open == 0)
                #expect(stats["globex-infra"]?.open == 1)
                let events = try #require(try await store.incident(IncidentID(id)!)).events.map(\.kind)
                #expect(events.contains("reassigned"))

                let again = try await client.execute(
                    HTTPClientRequest(
                        method: "POST", url: url, headers: [("Content-Type", "application/json")],
                        body: Array(#"{"vendor": "globex-infra", "reason": "twice"}"#.utf8)))
                #expect(again.status == 409)
                let unknown = try await client.execute(
                    HTTPClientRequest(
                        method: "POST", url: url, headers: [("Content-Type", "application/json")],
                        body: Array(#"{"vendor": "nobody", "reason": "x"}"#.utf8)))
                #expect(unknown.status == 409)
                #expect(String(decoding: unknown.body, as: UTF8.self).contains("no vendor 'nobody'"))
            }
        }
    }
}
