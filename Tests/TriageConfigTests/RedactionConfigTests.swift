import Testing
import TriageConfig
import TriageCore

/// vendors.yaml `redaction:` profiles and each vendor's `redaction:` and `fields:`: what loads, and
/// errors that name the file, the line, the key path and what is wrong (never a key's value).
struct RedactionConfigTests {
    static let sources = "sources:\n  - { name: generic, kind: generic }"
    static let rules = "rules: []"
    static let key = "k3y-material-of-32-bytes-0123456"

    static func vendors(redaction: String, vendor: String = "redaction: standard") -> String {
        """
        \(redaction)
        vendors:
          - name: acme
            endpoint: http://127.0.0.1:9101/acme
            \(vendor)
        """
    }

    static func load(_ vendors: String, environment: [String: String] = [:]) throws(ConfigError) -> TriageConfiguration {
        try ConfigLoader.load(sources: sources, vendors: vendors, rules: rules, environment: environment)
    }

    static func problems(_ vendors: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try load(vendors, environment: environment)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func profilesAndVendorHooksLoad() throws {
        let vendors = Self.vendors(
            redaction: """
                redaction:
                  key_env: TEST_REDACTION_KEY
                  profiles:
                    standard:
                      rules: [email, phone, iban, card, ipv4, ipv6, {rule: secret, mode: drop}]
                      mode: mask
                      custom:
                        - {name: employee-id, pattern: 'EMP-[0-9]{6}', mode: hash}
                      drop_fields: [labels.customer_email]
                    minimal:
                      rules: [email]
                """,
            vendor: "redaction: standard\n    fields: [title, description, priority, service, labels.env]")
        let configuration = try Self.load(vendors, environment: ["TEST_REDACTION_KEY": Self.key])
        let acme = try #require(configuration.vendors.first)
        let profile = try #require(acme.redaction)
        #expect(profile.name == "standard")
        #expect(profile.rules.map(\.name) == ["email", "phone", "iban", "card", "ipv4", "ipv6", "secret", "employee-id"])
        #expect(profile.rules.map(\.mode) == [.mask, .mask, .mask, .mask, .mask, .mask, .drop, .hash])
        #expect(profile.dropFields == ["labels.customer_email"])
        #expect(profile.key?.bytes == Array(Self.key.utf8))
        #expect(profile.key?.variable == "TEST_REDACTION_KEY")
        #expect(!"\(profile)".contains(Self.key), "a profile's description must not show the key")
        #expect(acme.fields?.names == ["title", "description", "priority", "service", "labels.env"])
        #expect(configuration.redactionProfiles.keys.sorted() == ["minimal", "standard"])
        #expect(configuration.redactionProfiles["minimal"]?.key == nil, "a profile that does not hash needs no key")
    }

    @Test func maskOnlyProfilesNeedNoKey() throws {
        let vendors = Self.vendors(redaction: "redaction:\n  profiles:\n    standard: {rules: [email, card]}")
        let acme = try #require(try Self.load(vendors).vendors.first)
        #expect(acme.redaction?.rules.count == 2)
        #expect(acme.fields == nil)
    }

    @Test func missingOrShortKeyNamesTheVariableNeverItsValue() {
        let vendors = Self.vendors(
            redaction: "redaction:\n  key_env: TEST_REDACTION_KEY\n  profiles:\n    standard: {rules: [email], mode: hash}")
        #expect(Self.problems(vendors) == [
            "rules/vendors.yaml:2:12: redaction.key_env: environment variable TEST_REDACTION_KEY is not set (profile 'standard' use mode hash)"
        ])
        let short = Self.problems(vendors, environment: ["TEST_REDACTION_KEY": "tiny-s3cret"])
        #expect(short.count == 1 && short[0].contains("TEST_REDACTION_KEY is shorter than 16 bytes"))
        #expect(!short.joined().contains("tiny-s3cret"))
        let noKeyEnv = Self.problems(Self.vendors(redaction: "redaction:\n  profiles:\n    standard: {rules: [email], mode: hash}"))
        #expect(noKeyEnv.count == 1 && noKeyEnv[0].contains("redaction.key_env is required: profile 'standard' use mode hash"))
    }

    @Test func unknownRulesModesAndFieldsAreNamedWithTheirPath() {
        let vendors = Self.vendors(
            redaction: """
                redaction:
                  profiles:
                    standard:
                      rules: [email, emial, {rule: card, mode: scramble}, email]
                      drop_fields: [labels.x, titel, id]
                      colour: red
                """,
            vendor: "redaction: standard\n    fields: [title, body]")
        #expect(Self.problems(vendors) == [
            "rules/vendors.yaml:6:7: unknown key 'colour' in redaction.profiles.standard (known: custom, drop_fields, mode, rules)",
            "rules/vendors.yaml:4:22: redaction.profiles.standard.rules[1]: unknown rule 'emial' (built-ins: card, email, iban, "
                + "ipv4, ipv6, phone, secret; write your own under custom: with a pattern)",
            "rules/vendors.yaml:4:48: redaction.profiles.standard.rules[2].mode: 'scramble' is not mask, hash or drop",
            "rules/vendors.yaml:4:59: redaction.profiles.standard.rules[3]: rule 'email' is listed twice",
            "rules/vendors.yaml:5:31: redaction.profiles.standard.drop_fields[1]: unknown field 'titel' (known: title, description, "
                + "severity, service, source, external_id, link, occurred_at, labels, explanation, labels.NAME)",
            "rules/vendors.yaml:5:38: redaction.profiles.standard.drop_fields[2]: 'id' is always sent and cannot be left out",
            "rules/vendors.yaml:11:21: fields of vendor 'acme'[1]: unknown field 'body' (known: title, description, severity, "
                + "service, source, external_id, link, occurred_at, labels, explanation, labels.NAME)",
        ])
    }

    @Test func badRegularExpressionGivesTheCompilersMessage() {
        let vendors = Self.vendors(
            redaction: """
                redaction:
                  profiles:
                    standard:
                      custom:
                        - {name: employee-id, pattern: 'EMP-[0-9'}
                        - {name: Bad Name, pattern: 'x+'}
                        - {name: everything, pattern: '.*'}
                """)
        let problems = Self.problems(vendors)
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.first
            == "rules/vendors.yaml:5:40: redaction.profiles.standard.custom[0].pattern: bad regular expression 'EMP-[0-9': expected ']'")
        #expect(problems.dropFirst().first?.contains("custom[1].name 'Bad Name' must use a-z, 0-9, '-' and '_'") == true)
        #expect(problems.last?.contains("custom[2].pattern: bad regular expression '.*': the pattern matches empty text") == true)
    }

    @Test func unknownProfileListsTheProfiles() {
        let vendors = Self.vendors(
            redaction: "redaction:\n  profiles:\n    standard: {rules: [email]}\n    strict: {rules: [email, card]}",
            vendor: "redaction: standrd")
        #expect(Self.problems(vendors) == [
            "rules/vendors.yaml:8:16: vendor 'acme' redaction: unknown profile 'standrd' (profiles: standard, strict)"
        ])
        #expect(Self.problems(Self.vendors(redaction: "")) == [
            "rules/vendors.yaml:5:16: vendor 'acme' redaction: unknown profile 'standard' (no profiles are defined under redaction.profiles)"
        ])
    }
}
