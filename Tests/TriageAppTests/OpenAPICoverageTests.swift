import Foundation
import Hummingbird
import Logging
import Prometheus
import Testing
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// `openapi.json` against the router `triage serve` builds. Every route is documented, every
/// documented operation is routed, the served copy is the repo's text byte for byte, and the
/// document is OpenAPI 3.1 whose references resolve.
struct OpenAPICoverageTests {
    /// One operation as OpenAPI writes it: `POST /api/incidents/{id}/events`.
    struct Operation: Hashable, Comparable, CustomStringConvertible {
        var method: String
        var path: String

        var description: String { "\(method) \(path)" }
        static func < (lhs: Operation, rhs: Operation) -> Bool { lhs.description < rhs.description }
    }

    static let documentFile = Fixtures.projectRoot.appendingPathComponent("Sources/TriageHTTP/openapi.json")
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    /// Servers of their own (a stand-in vendor and a test sink), not routes of the service.
    static let otherServers: Set<String> = ["VendorSink.swift", "SimulatedVendor.swift"]

    /// `openapi.json`, parsed.
    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: documentFile)
        return try #require(
            try JSONSerialization.jsonObject(with: data) as? [String: Any], "openapi.json is not a JSON object")
    }

    /// Every (method, path) under `paths`.
    static func documented(_ document: [String: Any]) throws -> Set<Operation> {
        let paths = try #require(document["paths"] as? [String: Any], "openapi.json has no 'paths' object")
        var operations: Set<Operation> = []
        for (path, item) in paths {
            let item = try #require(item as? [String: Any], "paths['\(path)'] is not an object")
            for method in methods where item[method] != nil {
                operations.insert(Operation(method: method.uppercased(), path: path))
            }
        }
        return operations
    }

    /// The router as `TriageServer` builds it for `triage serve`, with every optional group present
    /// (admin with reassign, outbox, SLA, callbacks, vendor switches and listing; audit; dashboard;
    /// metrics), over a real SQLite store and the sample configuration.
    static func serviceRouter(store: SQLiteStore) throws -> Router<TriageRequestContext> {
        let configuration = try ConfigLoader.load(directory: Fixtures.rulesDirectory)
        let environment = ["TRIAGE_ADMIN_TOKEN": "openapi-coverage"]
        let clock = SystemClock()
        let policies = PolicyHolder(configuration.policy)
        var admin = AdminRoutes(
            environment: environment,
            reassigner: Reassigner(policies: policies, incidents: store, store: store), outbox: store,
            sla: SLARoutes(store: store, report: SLARiskReport(store: store, zones: { _ in nil })),
            callbacks: VendorCallbackRoutes(
                lifecycle: store, incidents: store, vendors: { policies.current.assigner.vendors },
                environment: environment, clock: clock),
            clock: clock
        ) { ReloadResult(reloaded: true, version: 1, rules: 0, problems: []) }
        admin.vendorAdmin = VendorAdminRoutes(store: store, vendors: { policies.current.assigner.vendors.map(\.name) })
        admin.incidentList = IncidentListRoutes(query: store)
        let receiver = WebhookReceiver(
            sources: configuration.sources, settings: configuration.ingest, environment: environment, store: store,
            clock: clock)
        return TriageRouter.make(
            receiver: receiver, store: store, metrics: PrometheusCollectorRegistry(), admin: admin,
            audit: AuditMiddleware(store: store, clock: clock),
            dashboard: DashboardRoutes(snapshot: { throw CancellationError() }))
    }

    /// The router's routes as OpenAPI operations (`:id` → `{id}`), without `*`/`**` catch-alls.
    static func routed(_ router: Router<TriageRequestContext>) -> Set<Operation> {
        Set(
            router.routes.compactMap { route -> Operation? in
                let path = "/" + route.path.map { $0.description }.map(openAPISegment).joined(separator: "/")
                return path.contains("*") ? nil : Operation(method: route.method.rawValue, path: path)
            })
    }

    static func openAPISegment(_ segment: String) -> String {
        segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : segment
    }

    /// Runs `body` with the service's router over a fresh SQLite store.
    static func withServiceRouter(_ body: (Router<TriageRequestContext>) throws -> Void) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try body(try serviceRouter(store: try SQLiteStore(path: directory.path("openapi.sqlite"))))
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws {
        let documented = try Self.documented(try Self.document())
        try Self.withServiceRouter { router in
            let routed = Self.routed(router)
            #expect(routed.count >= 20, "the router has only \(routed.count) routes: is it built like TriageServer builds it?")
            for operation in routed.subtracting(documented).sorted() {
                Issue.record(
                    "\(operation) is routed but not in openapi.json: document it there")
            }
            for operation in documented.subtracting(routed).sorted() {
                Issue.record(
                    Comment(
                        rawValue: "\(operation) is in openapi.json but the service has no such route: remove it there "
                            + "(or route it)"))
            }
        }
    }

    /// Guards the test above: a route declared anywhere in TriageHTTP (a new file, a new group) must
    /// be in the router built here, or this test's wiring has fallen behind `TriageServer`'s.
    @Test func theRouterBuiltHereHasEveryRouteTheSourcesDeclare() throws {
        let folder = Fixtures.projectRoot.appendingPathComponent("Sources/TriageHTTP")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") && !Self.otherServers.contains($0) }.sorted()
        let call = try Regex(#"router\.(get|post|put|patch|delete|head)\("([^"]*)""#)
        var declared = 0
        try Self.withServiceRouter { router in
            let routed = Self.routed(router)
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for match in text.matches(of: call) {
                    guard let method = match.output[1].substring, let path = match.output[2].substring else { continue }
                    declared += 1
                    let wanted = Self.segments(String(path)).map(Self.openAPISegment)
                    let found = routed.contains { operation in
                        guard operation.method == method.uppercased() else { return false }
                        let have = Self.segments(operation.path)
                        // An interpolated segment (`\(action)`) stands for any value.
                        return have.count == wanted.count
                            && zip(have, wanted).allSatisfy { $0 == $1 || $1.contains(#"\("#) }
                    }
                    #expect(
                        found,
                        Comment(
                            rawValue: "router.\(method)(\"\(path)\") in Sources/TriageHTTP/\(file) is not in the router this "
                                + "test builds: wire its group in serviceRouter(store:) as TriageServer does"))
                }
            }
        }
        #expect(declared >= 20, "found only \(declared) route declarations in Sources/TriageHTTP")
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init)
    }

    @Test func theDocumentIsOpenAPI31AndItsReferencesResolve() throws {
        let document = try Self.document()
        let version = try #require(document["openapi"] as? String, "openapi.json has no 'openapi' version")
        #expect(version.hasPrefix("3.1"), "openapi is '\(version)', expected 3.1.x")
        #expect((document["info"] as? [String: Any])?["title"] as? String == "triage")
        var references = 0
        func visit(_ value: Any, at location: String) {
            if let object = value as? [String: Any] {
                if let target = object["$ref"] as? String {
                    references += 1
                    #expect(Self.resolve(target, in: document) != nil, "\(location): $ref '\(target)' points nowhere")
                }
                for (key, member) in object { visit(member, at: "\(location)/\(key)") }
            } else if let array = value as? [Any] {
                for (index, member) in array.enumerated() { visit(member, at: "\(location)/\(index)") }
            }
        }
        visit(document, at: "#")
        #expect(references > 50, "only \(references) references: are shared shapes still in components/schemas?")
        for operation in try Self.documented(document) {
            let item = (document["paths"] as? [String: Any])?[operation.path] as? [String: Any]
            let responses = (item?[operation.method.lowercased()] as? [String: Any])?["responses"] as? [String: Any]
            #expect(responses?.isEmpty == false, "\(operation) documents no response")
        }
    }

    /// The value a local reference (`#/components/schemas/Incident`) names, or `nil`.
    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var value: Any = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = value as? [String: Any], let next = object[key] {
                value = next
            } else if let array = value as? [Any], let index = Int(key), array.indices.contains(index) {
                value = array[index]
            } else {
                return nil
            }
        }
        return value
    }

    @Test func openAPIJSONIsServedAsJSON() async throws {
        let router = Router(context: TriageRequestContext.self)
        OpenAPIRoutes.add(to: router)
        let ready = PortWaiter()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await ready.report($0.localAddress?.port ?? 0) }, logger: Logger(label: "openapi"))
        try await RunningService.with([app], ready: ready) { port in
            let response = try await CurlHTTPClient().execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/openapi.json"))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            // What is served is the file in the repository, byte for byte (embedded at build time).
            #expect(response.body == Array(try Data(contentsOf: Self.documentFile)))
            let parsed = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            #expect((parsed?["paths"] as? [String: Any])?["/openapi.json"] != nil)
        }
    }
}
