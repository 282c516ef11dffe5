import Testing
import TriageCore

/// The built-in rules on tables of text: what each must find (and how it is masked), and what
/// looks like personal data but is not (order numbers, versions, OIDs, times, dates, MACs, prose).
struct RedactionTableTests {
    static let redactor = Redactor(rules: RedactionRule.allBuiltIns(), keyedHash: { _ in "0123456789abcdef" })

    /// Text, the rule that must fire, the value that must be gone, and the expected text.
    static let found: [(text: String, rule: String, value: String, expected: String)] = [
        ("contact jane.doe@example.com today", "email", "jane.doe@example.com", "contact j***@example.com today"),
        ("mailto:bob+ops@mail.example.co.uk.", "email", "bob+ops@mail.example.co.uk", "mailto:b***@mail.example.co.uk."),
        ("from josé.garcía@example.es", "email", "josé.garcía@example.es", "from j***@example.es"),
        ("call +33 6 12 34 56 78 now", "phone", "+33 6 12 34 56 78", "call ****5678 now"),
        ("call +1 (415) 555-2671", "phone", "+1 (415) 555-2671", "call ****2671"),
        ("office (415) 555-2671", "phone", "(415) 555-2671", "office ****2671"),
        ("desk 415-555-2671.", "phone", "415-555-2671", "desk ****2671."),
        ("desk 1-800-555-0199", "phone", "1-800-555-0199", "desk ****0199"),
        ("london 020 7946 0958", "phone", "020 7946 0958", "london ****0958"),
        ("berlin 030/1234567", "phone", "030/1234567", "berlin ****4567"),
        ("mobile 06 12 34 56 78", "phone", "06 12 34 56 78", "mobile ****5678"),
        ("e164 +14155552671", "phone", "+14155552671", "e164 ****2671"),
        ("pay to DE89 3704 0044 0532 0130 00 please", "iban", "DE89 3704 0044 0532 0130 00", "pay to DE****3000 please"),
        ("IBAN DE89370400440532013000", "iban", "DE89370400440532013000", "IBAN DE****3000"),
        ("GB82WEST12345698765432", "iban", "GB82WEST12345698765432", "GB****5432"),
        ("iban: FR1420041010050500013M02606", "iban", "FR1420041010050500013M02606", "iban: FR****2606"),
        ("NL91ABNA0417164300, NO9386011117947", "iban", "NO9386011117947", "NL****4300, NO****7947"),
        ("card 4111 1111 1111 1111 expired", "card", "4111 1111 1111 1111", "card ****1111 expired"),
        ("card 4111-1111-1111-1111", "card", "4111-1111-1111-1111", "card ****1111"),
        ("pan=4111111111111111;", "card", "4111111111111111", "pan=****1111;"),
        ("mc 5555555555554444", "card", "5555555555554444", "mc ****4444"),
        ("amex 3782 822463 10005", "card", "3782 822463 10005", "amex ****0005"),
        ("amex 378282246310005", "card", "378282246310005", "amex ****0005"),
        ("discover 6011111111111117 jcb 3530111333300000", "card", "3530111333300000", "discover ****1117 jcb ****0000"),
        ("visa13 4222222222222", "card", "4222222222222", "visa13 ****2222"),
        ("card 4111 1111 1111 1111 2026", "card", "4111 1111 1111 1111", "card ****1111 2026"),
        ("from 10.0.0.1 to", "ipv4", "10.0.0.1", "from [ipv4] to"),
        ("upstream 192.168.1.254:8080 down", "ipv4", "192.168.1.254", "upstream [ipv4]:8080 down"),
        ("host 8.8.8.8.", "ipv4", "8.8.8.8", "host [ipv4]."),
        ("net 10.1.2.0/24 (172.16.0.1)", "ipv4", "172.16.0.1", "net [ipv4]/24 ([ipv4])"),
        ("range 10.0.0.1-10.0.0.9", "ipv4", "10.0.0.9", "range [ipv4]-[ipv4]"),
        ("addr 2001:db8::1 up", "ipv6", "2001:db8::1", "addr [ipv6] up"),
        ("fe80::1ff:fe23:4567:890a%eth0", "ipv6", "fe80::1ff:fe23:4567:890a", "[ipv6]%eth0"),
        ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "ipv6", "85a3:0000", "[ipv6]"),
        ("mapped ::ffff:192.0.2.128 seen", "ipv6", "192.0.2.128", "mapped [ipv6] seen"),
        ("url http://[2001:db8::42]:443/x", "ipv6", "2001:db8::42", "url http://[[ipv6]]:443/x"),
        ("Authorization: Bearer abc.def.ghi123", "secret", "abc.def.ghi123", "Authorization: Bearer ***"),
        ("curl -H 'Authorization: Basic dXNlcjpwYXNz'", "secret", "dXNlcjpwYXNz", "curl -H 'Authorization: Basic ***'"),
        ("sent Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig then", "secret", "eyJhbGciOiJIUzI1NiJ9", "sent Bearer *** then"),
        ("login password=hunter2 failed", "secret", "hunter2", "login password=*** failed"),
        ("GET /cb?token=abc123&x=1", "secret", "abc123", "GET /cb?token=***&x=1"),
        (#"{"api_key": "sk_live_123", "n": 1}"#, "secret", "sk_live_123", #"{"api_key": "***", "n": 1}"#),
        (#"{\"db_password\":\"p4ss\"}"#, "secret", "p4ss", #"{\"db_password\":\"***\"}"#),
        ("dsn postgres://app:s3cret@db:5432/x", "secret", "s3cret", "dsn postgres://app:***@db:5432/x"),
        ("X-Api-Key = abcd1234 sent", "secret", "abcd1234", "X-Api-Key = *** sent"),
        ("client_secret: Zx9-8y7", "secret", "Zx9-8y7", "client_secret: ***"),
    ]

    /// Text that must come out unchanged.
    static let clean: [String] = [
        // Order numbers, ticket ids and other digit runs that are not cards (bad Luhn, no issuer, wrong length).
        "order 4111111111111112 shipped", "ticket 1234567812345678", "order 4000123412341235", "batch 2024112700015533",
        "epoch 1732888800000 ms", "account 0000 0000 0000 0000", "tracking 9400111899223100001234", "order 12345678901",
        "INC0012345 and CHG0034567", "sizes 256 512 1024 2048", "1,234,567 requests", "pi 3.14159265358979",
        // Versions, OIDs and other dotted numbers that are not IPv4.
        "upgraded to version 10.0.0.1", "version: 1.2.3.4", "release 2.0.0.1 is out", "v1.2.3.4", "1.2.3.4-beta",
        "1.2.3.4+build7", "OID 1.3.6.1.4.1.9.9.42", "snmp .1.3.6.1.2.1", "nginx/1.25.3.1", "Windows 10.0.19045.3693",
        "bad 256.1.1.1", "five 1.2.3.4.5", "build 4.2.0.10 failed", "section 4.2.1 of the runbook", "fw 8.8.8.8 flashed",
        // Times, dates, MAC addresses and code that are not IPv6.
        "at 12:30:45 UTC", "from 10:30 to 11:45", "2026-11-29T10:42:17Z", "2026-11-29T10:42:17.123+01:00",
        "MAC 00:1a:2b:3c:4d:5e", "std::vector<int>", "a::b in C++", "ratio 1:2:3", "deadbeef:cafe", "ERROR:10:30:00:123",
        // Dates, durations and identifiers that are not phones.
        "on 2026-11-29", "on 29/11/2026", "on 11.29.2026", "2026-11-29 10:42", "29.11.2026 10:42", "01/02/2024 12:00",
        "INC-415-555-2671", "order 1234567890", "PID 31337 port 8080", "+1 more", "C++ 20", "2024-2025",
        "ISBN 978-3-16-148410-0", "GMT+1 and UTC+02:00", "100 200 3000", "v4.15.555.2671", "0.5 0.25 0.125",
        // IBAN-shaped strings with a bad check or no such country.
        "DE89 3704 0044 0532 0130 01", "GB00WEST12345698765432", "XX12345678901234567890", "ISO8601 timestamps",
        // Prose about secrets, and keys that are not secrets.
        "the bearer token expired", "Bearer authentication failed", "token expired at noon", "tokens_used=5",
        "password reset requested", "secret santa on friday", "the api key was rotated", "key=value dedup_key=db-1",
        "password=*** already masked", "https://example.com/path?page=2", "see https://user@example.com/repo",
        // Things near e-mail addresses.
        "user@localhost", "ping @channel now", "foo@bar", "a@b.c", "@example.com", "x@y@z",
    ]

    @Test(arguments: found.indices)
    func findsAndMasks(_ index: Int) {
        let row = Self.found[index]
        let result = Self.redactor.redact(row.text)
        #expect(result.fired[row.rule] ?? 0 >= 1, "\(row.rule) did not fire on '\(row.text)': \(result.fired)")
        #expect(!result.text.contains(row.value), "'\(row.value)' left in '\(result.text)'")
        #expect(result.text == row.expected)
        #expect(!result.dropped)
    }

    @Test(arguments: clean)
    func leavesAlone(_ text: String) {
        let result = Self.redactor.redact(text)
        #expect(result.text == text, "changed to '\(result.text)'")
        #expect(result.fired.isEmpty, "fired \(result.fired) on '\(text)'")
    }

    @Test func eachRuleOnlyWhenOn() {
        let text = "jane@example.com 4111 1111 1111 1111 10.0.0.1 password=x1"
        let onlyCard = Redactor(rules: [RedactionRule.builtIn("card")!], keyedHash: { _ in "" })
        let result = onlyCard.redact(text)
        #expect(result.fired == ["card": 1])
        #expect(result.text == "jane@example.com ****1111 10.0.0.1 password=x1")
        #expect(Redactor(rules: [], keyedHash: { _ in "" }).redact(text).text == text)
    }
}
