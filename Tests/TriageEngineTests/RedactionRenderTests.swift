import Foundation
import Logging
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// A vendor's allow-list and redaction profile on everything sent about its incidents: payload
/// formats and templates, write-backs, escalation notices and reassignments; the keyed hash.
struct RedactionRenderTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let planted = ["jane.doe@example.com", "+33 6 12 34 56 78", "4111 1111 1111 1111", "10.20.30.40", "bob@example.org"]
    static let key = RedactionKey(bytes: Array("render-test-key-0123456789abcdef".utf8), variable: "K")

    func incident(title: String = "Login failures for jane.doe@example.com") -> Incident {
        var generator = SplitMix64(seed: 5)
        return Incident(
            id: IncidentID(now: now, using: &generator),
            draft: IncidentDraft(
                source: "generic", externalID: "OPS-7", title: title,
                description: "From 10.20.30.40, card 4111 1111 1111 1111, call +33 6 12 34 56 78", severity: .critical,
                labels: ["env": "prod", "customer_email": "bob@example.org"], service: "sso"),
            receivedAt: now, rawPayloadID: 1)
    }

    func decision(_ incident: Incident) -> Decision {
        Decision(
            incidentID: incident.id, decidedAt: now, category: "access", priority: .p2, vendor: "acme", abstained: false,
            matchedRules: [], sla: nil, explanation: ["rule 'login' matched title 'jane.doe@example.com'"])
    }

    static func vendor(fields: [String]? = nil, mode: RedactionRule.Mode = .mask, key: RedactionKey? = key) -> Vendor {
        var vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:1/acme")
        vendor.redaction = RedactionProfile(
            name: "standard", rules: RedactionRule.allBuiltIns(mode: mode), dropFields: ["labels.customer_email"], key: key)
        vendor.fields = try? fields.map { try FieldAllowList($0) }
        return vendor
    }

    static func leaks(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        return planted.filter { text.contains($0) }
    }

    @Test(arguments: [
        PayloadFormat.generic, .jira(project: "OPS", issueType: "Incident"), .servicenow(assignmentGroup: nil), .slack,
        .template("t"),
    ])
    func noFormatCarriesARawValue(_ format: PayloadFormat) throws {
        let template = #"{"t": "{{incident.title}}", "d": "{{incident.description}}", "e": "{{incident.labels.customer_email}}", "x": [{{#assignment.explanation}}"{{.}}",{{/assignment.explanation}}"end"]}"#
        var vendor = Self.vendor()
        vendor.payloadFormat = format
        let incident = incident()
        let rendered = try PayloadRenderer(templates: ["t": template]).render(
            messageID: "m-1", incident: incident, decision: decision(incident), vendor: vendor)
        #expect(Self.leaks(rendered.body).isEmpty, "\(format) leaks \(Self.leaks(rendered.body))")
        #expect(rendered.redactions == ["card:1", "email:2", "ipv4:1", "phone:1"])
        #expect(String(decoding: rendered.body, as: UTF8.self).contains("j***@example.com"))
    }

    @Test func allowListLeavesFieldsOutAndTemplatesRenderThemEmpty() throws {
        let template = #"{"t": "{{incident.title}}", "d": "{{incident.description}}", "s": "{{incident.service}}", "env": "{{incident.labels.env}}", "sev": "{{incident.severity}}"}"#
        var vendor = Self.vendor(fields: ["title", "priority", "labels.env"])
        vendor.payloadFormat = .template("t")
        let incident = incident()
        let renderer = try PayloadRenderer(templates: ["t": template])
        let body = try renderer.body(messageID: "m-1", incident: incident, decision: decision(incident), vendor: vendor)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: String])
        #expect(json == ["t": "Login failures for j***@example.com", "d": "", "s": "", "env": "prod", "sev": ""])
        vendor.payloadFormat = .generic
        let generic = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try renderer.body(messageID: "m-1", incident: incident, decision: decision(incident), vendor: vendor)))
                as? [String: Any])
        let part = try #require(generic["incident"] as? [String: Any])
        #expect(part["description"] as? String == "" && part["service"] == nil && part["external_id"] == nil)
        #expect(part["labels"] as? [String: String] == ["env": "prod"])
        #expect((generic["assignment"] as? [String: Any])?["explanation"] as? [String] == [], "explanation is not allowed")
        #expect((generic["assignment"] as? [String: Any])?["priority"] as? String == "P2", "priority is always sent")
    }

    @Test func hashIsStableAcrossCallsKeyedAndHMACSHA256() throws {
        let renderer = PayloadRenderer.standard
        func token(_ vendor: Vendor, _ title: String) throws -> String {
            let incident = incident(title: title)
            let body = try renderer.body(messageID: "m", incident: incident, decision: decision(incident), vendor: vendor)
            let message = try JSONDecoder().decode(VendorMessage.self, from: Data(body))
            return try #require(message.incident.title.split(separator: " ").last.map(String.init))
        }
        let hashing = Self.vendor(mode: .hash)
        let first = try token(hashing, "Login failures for jane.doe@example.com")
        #expect(first.hasPrefix("hash:") && first.count == 17)
        #expect(try token(hashing, "Password reset by Jane.Doe@Example.COM") == first, "stable across incidents and spellings")
        let expected = RedactionHMAC.keyedHash(key: Self.key)(Array("jane.doe@example.com".utf8))
        #expect(first == "hash:" + expected.prefix(12))
        let otherKey = RedactionKey(bytes: Array("another-key-0123456789abcdefghij".utf8), variable: "K2")
        #expect(try token(Self.vendor(mode: .hash, key: otherKey), "Login failures for jane.doe@example.com") != first)
        // RFC 4231 test case 2: the keyed hash is HMAC-SHA256.
        let jefe = RedactionHMAC.keyedHash(key: RedactionKey(bytes: Array("Jefe".utf8), variable: "J"))
        #expect(jefe(Array("what do ya want for nothing?".utf8)) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// Records `messages` as delivered, so the next claim sees only new ones.
    func delivered(_ messages: [OutboxMessage], _ store: SQLiteStore, _ clock: TestClock) async throws {
        for message in messages {
            let attempt = DeliveryAttempt(number: 1, startedAt: clock.now(), durationMilliseconds: 1, httpStatus: 200, failure: nil)
            try await store.record(attempt, for: message, then: .delivered(at: clock.now()))
        }
    }

    @Test func writeBacksNoticesAndReassignmentsAreRedactedAndTheDecisionSaysWhatFired() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock(now: now)
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let target = SLATarget(acknowledge: .seconds(3600), resolve: .seconds(14_400))
        var contract = Contract(targets: Dictionary(uniqueKeysWithValues: Priority.allCases.map { ($0, target) }))
        contract.escalation = EscalationLadder(
            name: "l", steps: [EscalationStep(trigger: .percent(50), actions: [.notify("vendor"), .notify("duty")])])
        var acme = Self.vendor()
        acme.contract = contract
        acme.hoursRequiredFor = []
        var globex = Self.vendor(fields: ["title"])
        globex.name = "globex"
        globex.endpoint = "http://127.0.0.1:1/globex"
        globex.contract = contract
        let policies = PolicyHolder(TriagePolicy(rules: RuleSet(rules: []), vendors: [acme, globex], defaultVendor: "acme"))
        let raw = incident()
        let draft = IncidentDraft(
            source: "generic", externalID: "OPS-7", title: raw.title, description: raw.description, severity: .error,
            labels: raw.labels, service: raw.service)
        let id = try await store.accept([draft], raw: RawPayload(source: "generic", contentType: nil, body: [], receivedAt: now))[0].id
        let writeBack = WriteBack(source: "generic", endpoint: "http://127.0.0.1:1/wb/{external_id}", format: .template("wb"))
        let worker = TriageWorker(
            queue: store, policies: policies, clock: clock, configuration: .init(owner: "w"),
            renderer: try PayloadRenderer(templates: ["wb": #"{"t": "{{incident.title}}", "n": "{{note}}"}"#]),
            writeBacks: [writeBack], logger: Logger(label: "test"))
        #expect(try await worker.runOnce() == 1)
        let queued = try await store.claimDue(limit: 10, owner: "t", now: clock.now(), lease: .seconds(60))
        #expect(Set(queued.map(\.vendor)) == ["acme", "write-back:generic"])
        for message in queued { #expect(Self.leaks(message.body).isEmpty, "\(message.vendor) leaks \(Self.leaks(message.body))") }
        try await delivered(queued, store, clock)
        var detail = try #require(try await store.incident(id))
        #expect(detail.decision?.redactions == ["card:1", "email:1", "ipv4:1", "phone:1"])
        #expect(detail.incident.title == raw.title && detail.incident.labels["customer_email"] == "bob@example.org")

        clock.advance(by: .seconds(7200))  // 50 % of resolve: notices to the vendor and to duty
        let watcher = SLAWatcher(
            store: store, policies: policies, notify: [NotifyEndpoint(name: "duty", url: "http://127.0.0.1:1/duty")],
            zones: { _ in nil }, clock: clock, configuration: .init(owner: "s"), logger: Logger(label: "test"))
        _ = try await watcher.runOnce()
        let notices = try await store.claimDue(limit: 10, owner: "t", now: clock.now(), lease: .seconds(60))
            .filter { $0.id.contains("-sla") }
        #expect(notices.count == 2)
        try await delivered(notices, store, clock)
        for notice in notices {
            #expect(Self.leaks(notice.body).isEmpty)
            #expect(String(decoding: notice.body, as: UTF8.self).contains("Login failures for j***@example.com"))
        }
        detail = try #require(try await store.incident(id))
        #expect(detail.events.contains { $0.kind == "sla-escalation" && $0.detail.contains("notify vendor (redacted: email:1)") })

        let decision = try await Reassigner(policies: policies, incidents: store, store: store)
            .reassign(id.rawValue, to: "globex", reason: "test", now: clock.now())
        #expect(decision.redactions == ["email:1"], "globex may see the title only")
        let reassigned = try await store.claimDue(limit: 10, owner: "t", now: clock.now(), lease: .seconds(60))
            .filter { $0.vendor == "globex" }
        let message = try JSONDecoder().decode(VendorMessage.self, from: Data(try #require(reassigned.first).body))
        #expect(message.incident.title == "Login failures for j***@example.com")
        #expect(message.incident.description == "" && message.incident.labels.isEmpty && message.incident.service == nil)
    }
}
