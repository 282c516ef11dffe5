import Foundation
import Testing
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageTesting

/// Hostile HTTP input against a whole in-process server over real sockets on 127.0.0.1.
///
/// Already covered elsewhere (not repeated here): body over `max_body` → 413 `body_too_large`,
/// invalid UTF-8 and nesting deeper than 64 levels → 400 `malformed_body`, over the rate limit →
/// 429 with `Retry-After` (`Ingest/IngestRejectionTests`); a 2 MiB body → 413 (`EndToEndTests`);
/// vendor `headers_env` values with a line break are refused (`CurlVendorNotifier`).
@Suite(.serialized)
struct HostileHTTPTests {
    static let slowHead =
        "POST /webhooks/generic HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"

    /// A valid generic payload of exactly 1000 bytes.
    static let slowBody: [UInt8] = {
        let head = Array(#"{"title":"slow body","description":""#.utf8)
        let tail = Array(#""}"#.utf8)
        return head + [UInt8](repeating: UInt8(ascii: "a"), count: 1000 - head.count - tail.count) + tail
    }()

    /// Slow senders within the limits. Defined answer: a body trickling in one byte per 500 ms
    /// (well inside `body_timeout`, 30 s by default) is waited for and answered normally (202)
    /// once complete; meanwhile, with 200 more such connections open, other requests are served
    /// at once (webhook 202, `/healthz` 200).
    @Test func slowBodiesDoNotStopTheServiceServing() async throws {
        try await HostileHarness.with { server in
            let slow = try RawConnection(port: server.port)
            defer { slow.close() }
            #expect(slow.send(Self.slowHead))
            #expect(slow.send(Array(Self.slowBody[..<1])))
            let port = server.port
            let drip = Task.detached { () -> Int? in
                for index in 1..<8 {
                    try await Task.sleep(for: .milliseconds(500))
                    guard slow.send(Array(Self.slowBody[index..<(index + 1)])) else { return nil }
                }
                return 8
            }
            var others: [RawConnection] = []
            defer { others.forEach { $0.close() } }
            for _ in 0..<200 {
                let connection = try RawConnection(port: port)
                others.append(connection)
                connection.send(Self.slowHead)
                connection.send(Array(Self.slowBody[..<1]))
            }
            let normal = try await server.post(object: ["title": "served while slow bodies trickle"])
            #expect(normal.status == 202, "\(String(decoding: normal.body, as: UTF8.self))")
            #expect(try await server.client.execute(HTTPClientRequest(url: server.base + "/healthz")).status == 200)
            for connection in others { connection.send(Array(Self.slowBody[1..<2])) }

            let sent = try #require(try await drip.value, "the server closed the slow connection mid-body")
            #expect(slow.send(Array(Self.slowBody[sent...])))
            #expect(slow.readStatus() == 202)
        }
    }

    /// Slowloris. Defined answer: a body still incomplete `body_timeout` after its headers (1 s
    /// here) is answered 408 `body_timeout` and its connection closed, however steadily it drips
    /// (the idle timeout alone would not end it: every byte resets it); the service serves others.
    @Test func aBodySlowerThanTheTimeoutIsAnswered408AndClosed() async throws {
        try await HostileHarness.with(sourcesSettings: "body_timeout: 1s\n") { server in
            let slow = try RawConnection(port: server.port)
            defer { slow.close() }
            #expect(slow.send(Self.slowHead))
            let started = ContinuousClock.now
            let drip = Task.detached { () -> Int in
                var sent = 0
                for index in 0..<40 {
                    guard slow.send(Array(Self.slowBody[index..<(index + 1)])) else { break }
                    sent += 1
                    try await Task.sleep(for: .milliseconds(250))
                }
                return sent
            }
            #expect(slow.readStatus() == 408)
            let answered = ContinuousClock.now - started
            // Answered and the connection closed long before the 10 s the sender meant to drip.
            #expect(answered < .seconds(5), "answered after \(answered)")
            #expect(slow.closedByPeer(), "the server kept the connection open")
            #expect(ContinuousClock.now - started < .seconds(8))
            drip.cancel()
            _ = try? await drip.value
            #expect(try await server.post(object: ["title": "a prompt sender is still served"]).status == 202)
        }
    }

    /// Many idle connections. Defined answer: 500 connections that send nothing do not stop a
    /// normal webhook from being accepted (202), and they stay usable (a request sent on one of
    /// them afterwards is answered).
    @Test func fiveHundredIdleConnectionsDoNotStopAWebhook() async throws {
        try await HostileHarness.with { server in
            var idle: [RawConnection] = []
            defer { idle.forEach { $0.close() } }
            for _ in 0..<500 { idle.append(try RawConnection(port: server.port)) }
            let response = try await server.post(object: ["title": "accepted beside 500 idle connections"])
            #expect(response.status == 202)
            let last = try #require(idle.last)
            #expect(last.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
            #expect(last.readStatus() == 200)
        }
    }

    /// A 900 KB title (under the 1 MiB `max_body`). Defined answer: accepted (202) and stored and
    /// delivered whole, not truncated (only leading and trailing whitespace is trimmed, as for any
    /// title); the vendor body is valid JSON carrying the same title.
    @Test func hugeTitleIsStoredAndDeliveredAsValidJSON() async throws {
        try await HostileHarness.with { server in
            let unit = "Ünïcode ✓ \"quoted\" \\ line\n"
            let title = String(repeating: unit, count: 900_000 / unit.utf8.count) + "end"
            #expect(title.utf8.count > 890_000)
            let response = try await server.post(object: ["title": title])
            #expect(response.status == 202, "\(String(decoding: response.body.prefix(300), as: UTF8.self))")
            let id = try #require(try server.acceptedID(response))
            let stored = try #require(try await server.incident(id))
            #expect((stored["title"] as? String) == title)

            let delivery = try #require(try await server.firstDelivery(), "nothing was delivered")
            let message = try JSONDecoder().decode(VendorMessage.self, from: Data(delivery.body))
            #expect(message.incident.title == title)
        }
    }

    /// Header injection through incident fields. Defined answer: fields go only into bodies
    /// (outbound headers are fixed names plus configured `headers_env`), so a title, description,
    /// service, external id and label holding `\r\nX-Injected: yes` reach the vendor as JSON string
    /// data: no `X-Injected` header, no header value with a line break, the body decodes intact.
    @Test func lineBreaksInFieldsNeverBecomeOutboundHeaders() async throws {
        try await HostileHarness.with { server in
            let evil = "\r\nX-Injected: yes\r\n\r\nGET /smuggled HTTP/1.1"
            let response = try await server.post(object: [
                "title": "Disk full" + evil, "description": "d" + evil, "service": "svc" + evil,
                "external_id": "EXT-1" + evil, "labels": ["team": "ops" + evil],
            ])
            #expect(response.status == 202, "\(String(decoding: response.body, as: UTF8.self))")
            let delivery = try #require(try await server.firstDelivery(), "nothing was delivered")
            #expect(delivery.headers["x-injected"] == nil)
            for (name, value) in delivery.headers {
                #expect(!value.contains("X-Injected") && !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }, "\(name)")
            }
            let message = try JSONDecoder().decode(VendorMessage.self, from: Data(delivery.body))
            #expect(message.incident.title == "Disk full" + evil)
            #expect(message.incident.labels["team"] == "ops" + evil)
        }
    }

    static let template = """
        {"subject": "[{{assignment.priority}}] {{incident.title}}", "body": "{{incident.description}}",
         "team": "{{incident.labels.team}}", "ref": "{{message_id}}"}
        """

    /// Template injection. Defined answer: values are data, never template text: Mustache does
    /// not re-render substituted values, and the JSON content type escapes quotes, backslashes and
    /// control characters, so a title with sections, triple mustaches and a quote that tries to
    /// close its string renders into a valid JSON body with exactly the template's keys and the
    /// title intact as a string.
    @Test func templateValuesCannotBreakOutOfTheirStrings() async throws {
        let title = #"{{#labels}}LOOP{{/labels}} {{{raw}}} {{message_id}} "}, "admin": true, "x": "\"#
        let description = "line\r\n\t\u{01}\"end{{{incident.title}}}"
        let team = #"ops", "admin": "yes"#
        try await HostileHarness.with(format: "{template: hostile}", templates: ["hostile": Self.template]) { server in
            let response = try await server.post(object: ["title": title, "description": description, "labels": ["team": team]])
            #expect(response.status == 202, "\(String(decoding: response.body, as: UTF8.self))")
            let delivery = try #require(try await server.firstDelivery(), "nothing was delivered")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any], "\(delivery.bodyText)")
            #expect(object.keys.sorted() == ["body", "ref", "subject", "team"])
            #expect(object["admin"] == nil)
            let subject = try #require(object["subject"] as? String)
            #expect(subject.hasSuffix("] " + title))
            #expect(object["body"] as? String == description)
            #expect(object["team"] as? String == team)
            #expect(!(object["ref"] as? String ?? "").isEmpty)
        }
    }
}
