import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageTesting

/// A real local server for the client to talk to: echo, fixed statuses and a slow route.
func withTestServer<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
    let router = Router()
    router.post("/echo") { request, _ -> Response in
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        var headers: HTTPFields = [.contentType: "text/plain"]
        headers[HTTPField.Name("X-Seen-Method")!] = request.method.rawValue
        headers[HTTPField.Name("X-Seen-Custom")!] = request.headers[HTTPField.Name("X-Custom")!] ?? "-"
        return Response(status: .created, headers: headers, body: .init(byteBuffer: buffer))
    }
    router.put("/echo") { request, _ -> Response in
        Response(status: .ok, headers: [HTTPField.Name("X-Seen-Method")!: request.method.rawValue])
    }
    router.get("/status/:code") { _, context -> Response in
        let code = Int(context.parameters.get("code") ?? "") ?? 500
        return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
    }
    router.get("/slow") { _, _ -> Response in
        try await Task.sleep(for: .seconds(1))
        return Response(status: .ok)
    }
    let ready = PortWaiter()
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { await ready.report($0.localAddress?.port ?? 0) },
        logger: Logger(label: "test-server")
    )
    return try await RunningService.with([app], ready: ready) { port in
        try await body("http://127.0.0.1:\(port)")
    }
}

struct CurlHTTPClientTests {
    let client = CurlHTTPClient()

    @Test func postsBodyAndHeadersAndReadsStatusHeadersAndBody() async throws {
        try await withTestServer { base in
            let payload = Array(#"{"hello":"vendor"}"#.utf8)
            let response = try await client.execute(
                HTTPClientRequest(method: "POST", url: base + "/echo", headers: [("X-Custom", "abc")], body: payload))
            #expect(response.status == 201)
            #expect(response.body == payload)
            #expect(response.header("x-seen-method") == "POST")
            #expect(response.header("X-Seen-Custom") == "abc")
            #expect(response.header("content-type") == "text/plain")
        }
    }

    @Test func handlesAreReusedAcrossManyRequests() async throws {
        try await withTestServer { base in
            for i in 0..<40 {
                let response = try await client.execute(
                    HTTPClientRequest(method: "POST", url: base + "/echo", body: Array("n\(i)".utf8)))
                #expect(response.bodyText == "n\(i)")
            }
            let put = try await client.execute(HTTPClientRequest(method: "PUT", url: base + "/echo"))
            #expect(put.header("x-seen-method") == "PUT")
        }
    }

    @Test func non2xxIsAnAnswerUntilRequireSuccess() async throws {
        try await withTestServer { base in
            let notFound = try await client.execute(HTTPClientRequest(url: base + "/status/404"))
            #expect(notFound.status == 404)
            #expect(notFound.bodyText == "status 404")
            #expect(throws: CurlError(kind: .httpStatus, code: 0, status: 404, message: "HTTP 404")) {
                try notFound.requireSuccess()
            }
            let unavailable = try await client.execute(HTTPClientRequest(url: base + "/status/503"))
            let error = #expect(throws: CurlError.self) { try unavailable.requireSuccess() }
            #expect(error?.isRetryable == true)
            #expect(try await client.execute(HTTPClientRequest(url: base + "/status/204")).requireSuccess().status == 204)
        }
    }

    @Test func slowServerTimesOut() async throws {
        try await withTestServer { base in
            let error = await #expect(throws: CurlError.self) {
                _ = try await client.execute(HTTPClientRequest(url: base + "/slow", timeout: .milliseconds(300)))
            }
            #expect(error?.kind == .timeout)
            #expect(error?.isRetryable == true)
        }
    }

    @Test func closedPortIsRefusedAndRetryable() async throws {
        let error = await #expect(throws: CurlError.self) {
            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/nothing"))
        }
        #expect(error?.kind == .refused)
        #expect(error?.isRetryable == true)
        #expect(error?.description.contains("/nothing") == false)
    }

    @Test func malformedURLIsNotRetryable() async throws {
        let error = await #expect(throws: CurlError.self) {
            _ = try await client.execute(HTTPClientRequest(url: "ftp://127.0.0.1/file"))
        }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.isRetryable == false)
    }

    @Test func tlsVerificationIsOnByDefault() {
        #expect(HTTPClientRequest(url: "https://example.invalid").verifyTLS)
    }
}

extension HTTPClientResponse {
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}
