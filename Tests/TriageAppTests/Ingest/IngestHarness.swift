import Foundation
import Logging
import TriageApp
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// A receiver-only server over a temp SQLite file, configured from an inline `sources.yaml`, for
/// tests that talk to it over real HTTP on 127.0.0.1.
struct IngestHarness {
    static let vendors = """
        vendors:
          - name: v
            endpoint: http://127.0.0.1:9/v
        """
    static let rules = "rules: []\n"

    let client = CurlHTTPClient()

    /// Runs `body` with the base URL and the store while the receiver serves `sourcesYAML`.
    static func with(
        sources sourcesYAML: String,
        environment: [String: String] = [:],
        _ body: @Sendable (String, SQLiteStore, IngestHarness) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try ConfigLoader.load(sources: sourcesYAML, vendors: vendors, rules: rules)
        let store = try SQLiteStore(path: directory.path("ingest.sqlite"))
        var options = TriageServer.Options()
        options.port = 0
        options.role = .receiver
        options.environment = environment
        let ready = PortWaiter()
        let server = TriageServer(
            configuration: configuration, store: store, clock: SystemClock(), options: options,
            logger: Logger(label: "ingest-test"), onServerRunning: { await ready.report($0) })
        try await RunningService.with(server.services, ready: ready) { port in
            try await body("http://127.0.0.1:\(port)", store, IngestHarness())
        }
    }

    func post(
        _ url: String, _ body: [UInt8], headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
    ) async throws -> HTTPClientResponse {
        try await client.execute(HTTPClientRequest(method: "POST", url: url, headers: headers, body: body))
    }

    func post(
        _ url: String, _ text: String, headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
    ) async throws -> HTTPClientResponse {
        try await post(url, Array(text.utf8), headers: headers)
    }
}

/// The JSON error body every refusal carries.
struct ErrorBody: Decodable, Equatable {
    var error: String
    var detail: String
    var path: String?
}

extension HTTPClientResponse {
    var text: String { String(decoding: body, as: UTF8.self) }

    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(body))
    }
}
