import FoundationEssentials
import Testing
import TriageCore

/// Modes, user rules, overlaps, counts, the allow-list and what a vendor may see of an incident.
struct RedactorTests {
    /// A stand-in keyed hash: FNV-1a of key and value, as 16 hex digits.
    static func keyed(_ key: String) -> @Sendable ([UInt8]) -> String {
        { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in Array(key.utf8) + [0] + bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }

    @Test func hashModeIsStableAcrossSpellingsAndKeyed() {
        let rules = [RedactionRule.builtIn("email", mode: .hash)!, RedactionRule.builtIn("card", mode: .hash)!]
        let one = Redactor(rules: rules, keyedHash: Self.keyed("k1"))
        let first = one.redact("from Jane.Doe@Example.com card 4111 1111 1111 1111").text
        let second = one.redact("from jane.doe@example.com card 4111111111111111").text
        #expect(first == second, "the same values written differently must hash the same")
        #expect(first.hasPrefix("from hash:") && !first.contains("example"))
        let hashes = first.split(separator: " ").filter { $0.hasPrefix("hash:") }
        #expect(hashes.count == 2 && hashes.allSatisfy { $0.count == "hash:".count + 12 })
        let other = Redactor(rules: rules, keyedHash: Self.keyed("k2")).redact("from jane.doe@example.com").text
        #expect(other.hasPrefix("from hash:"))
        #expect(other.split(separator: " ").last != hashes.first, "another key must give another hash")
    }

    @Test func dropModeMarksTheField() {
        let redactor = Redactor(rules: [RedactionRule.builtIn("card", mode: .drop)!], keyedHash: Self.keyed("k"))
        let result = redactor.redact("paid with 4111 1111 1111 1111")
        #expect(result.dropped)
        #expect(!result.text.contains("4111 1111"))
        #expect(!redactor.redact("paid in cash").dropped)
    }

    @Test func userPatternsAndCounts() throws {
        let rules = RedactionRule.allBuiltIns() + [try RedactionRule.pattern(name: "employee-id", "EMP-[0-9]{6}")]
        let redactor = Redactor(rules: rules, keyedHash: Self.keyed("k"))
        let result = redactor.redact("EMP-123456 and EMP-654321 mailed a@example.com and b@example.org; é EMP-000001")
        #expect(result.text == "[employee-id] and [employee-id] mailed a***@example.com and b***@example.org; é [employee-id]")
        #expect(result.fired == ["employee-id": 3, "email": 2])
        #expect(result.summary == ["email:2", "employee-id:3"])
    }

    @Test func badPatternsAreRefusedWithTheReason() {
        #expect(throws: RedactionPattern.Problem.self) { try RedactionRule.pattern(name: "x", "EMP-[0-9") }
        #expect(throws: RedactionPattern.Problem.self) { try RedactionRule.pattern(name: "x", "a*") }
        #expect(RedactionRule.isValidName("employee-id") && !RedactionRule.isValidName("email") && !RedactionRule.isValidName("Bad Name"))
    }

    @Test func urlPasswordIsTheSecretsNotAnEmail() {
        let result = Redactor(rules: RedactionRule.allBuiltIns(), keyedHash: Self.keyed("k"))
            .redact("redis://cache:pa55word@cache.example.com:6379/0 and ops@example.com")
        #expect(result.text == "redis://cache:***@cache.example.com:6379/0 and o***@example.com")
        #expect(result.fired == ["secret": 1, "email": 1])
    }

    @Test func longTextAndUnicodeStayIntact() {
        let redactor = Redactor(rules: RedactionRule.allBuiltIns(), keyedHash: Self.keyed("k"))
        let line = "Ünïcödé 日本語 line with jane@example.com and 10.0.0.1 — fin\n"
        let text = String(repeating: line, count: 500)
        let result = redactor.redact(text)
        #expect(result.fired == ["email": 500, "ipv4": 500])
        #expect(result.text == String(repeating: "Ünïcödé 日本語 line with j***@example.com and [ipv4] — fin\n", count: 500))
    }

    @Test func allowListNamesAndProblems() throws {
        let list = try FieldAllowList(["title", "priority", "labels.env"])
        #expect(list.allows("title") && list.allows("labels.env") && list.allows("id") && list.allows("priority"))
        #expect(!list.allows("description") && !list.allows("labels.owner") && !list.allows("explanation"))
        #expect(try FieldAllowList(["labels"]).allows("labels.anything"))
        #expect(throws: FieldAllowList.Problem.self) { try FieldAllowList(["titel"]) }
        #expect(FieldAllowList.problem(with: "titel")?.contains("unknown field 'titel'") == true)
        #expect(FieldAllowList.problem(with: "id")?.contains("always sent") == true)
    }

    static func incident() -> Incident {
        let draft = IncidentDraft(
            source: "generic", title: "Login failures for jane@example.com",
            description: "From 10.0.0.7, card 4111 1111 1111 1111, call +33 6 12 34 56 78",
            severity: .error,
            labels: ["env": "prod", "customer_email": "bob@example.org", "owner": "Kim"], service: "sso")
        return Incident(
            id: IncidentID("01JD0000000000000000000000")!, draft: draft, receivedAt: Date(timeIntervalSince1970: 1_767_614_400),
            rawPayloadID: 1)
    }

    @Test func outboundAppliesAllowListDropFieldsAndRules() throws {
        let profile = RedactionProfile(name: "standard", rules: RedactionRule.allBuiltIns(), dropFields: ["labels.customer_email"])
        let outbound = OutboundRedaction(
            profile: profile, fields: try FieldAllowList(["title", "description", "labels", "explanation"]), keyedHash: Self.keyed("k"))
        let raw = Self.incident()
        let applied = outbound.apply(to: raw, explanation: ["rule 'x' matched 10.0.0.7", "vendor chosen"])
        #expect(applied.incident.title == "Login failures for j***@example.com")
        #expect(applied.incident.description == "From [ipv4], card ****1111, call ****5678")
        #expect(applied.incident.labels == ["env": "prod", "owner": "Kim"])
        #expect(applied.incident.service == nil, "service is not on the allow-list")
        #expect(applied.explanation == ["rule 'x' matched [ipv4]", "vendor chosen"])
        #expect(applied.fired == ["email": 1, "ipv4": 2, "card": 1, "phone": 1])
        #expect(applied.removed.isSuperset(of: ["service", "severity", "labels.customer_email", "occurred_at"]))
        #expect(raw.title == "Login failures for jane@example.com", "the incident itself is untouched")
        let none = OutboundRedaction(profile: nil, fields: nil, keyedHash: Self.keyed("k"))
        #expect(!none.isActive && none.apply(to: raw, explanation: ["a"]).incident == raw)
    }
}
