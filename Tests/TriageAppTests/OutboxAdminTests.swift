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
    /// A message the vendor refused (400, not retryable) sits in the dead-letter queue, is listed
    /// by the API and the CLI, is sent again on request and then delivered; another is dropped.
    @Test func deadLettersAreListedRetriedAndDropped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink(failFirst: 1, failStatus: 400)
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            let configuration = try ConfigLoader.load(directory: configPath)
            let dbPath = directory.path("triage.sqlite")
            let store = try SQLiteStore(path: dbPath)
            try await withServer(configuration, store: store, reloadFrom: configPath) { base in
                let json = [(name: "Content-Type", value: "application/json")]
                let id = try #require(try await postAlert(base).accepted.incidents.first?.id)
                _ = try await waitFor(base, id) { $0.deliveries.first?.status == "dead" }

                let listed = try await client.execute(HTTPClientRequest(url: "\(base)/api/outbox?status=dead"))
                #expect(listed.status == 200)
                let entries = try JSONDecoder().decode(EntriesView.self, from: Data(listed.body)).messages
                #expect(entries.map(\.id) == ["\(id)-1"])
                #expect(entries.first?.reason?.contains("not retryable") == true)
                let cli = try await TriageProcess.run(["outbox", "list", "--status", "dead", "--store", "sqlite:" + dbPath])
                #expect(cli.status == 0)
                #expect(cli.stdout.contains("\(id)-1  dead  acme-dba  attempts 1"))

                let retried = try await client.execute(HTTPClientRequest(method: "POST", url: "\(base)/api/outbox/\(id)-1/retry"))
                #expect(retried.status == 200)
                let delivered = try await waitFor(base, id) { $0.deliveries.first?.status == "delivered" }
                #expect(delivered.deliveries.first?.attempts.count == 2)
                // Delivered messages can be neither retried nor dropped.
                #expect(try await client.execute(HTTPClientRequest(method: "POST", url: "\(base)/api/outbox/\(id)-1/retry")).status == 409)
                let drop = HTTPClientRequest(
                    method: "POST", url: "\(base)/api/outbox/\(id)-1/drop", headers: json, body: Array(#"{"reason":"x"}"#.utf8))
                #expect(try await client.execute(drop).status == 409)
                #expect(try await client.execute(HTTPClientRequest(url: "\(base)/api/outbox?status=lost")).status == 400)
            }
            let entry = try #require(try await store.outboxEntries(status: nil, limit: 1).first)
            let incidentID = try #require(IncidentID(entry.incidentID))
            let detail = try #require(try await store.incident(incidentID))
            #expect(detail.events.map(\.kind).contains("redelivery"))
        }
    }
}

struct EntriesView: Decodable {
    struct Entry: Decodable {
        var id: String
        var status: String
        var reason: String?
    }
    var messages: [Entry]
}
