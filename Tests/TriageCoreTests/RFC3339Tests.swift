import FoundationEssentials
import Testing

@testable import TriageCore

struct RFC3339Tests {
    @Test(arguments: [
        ("2020-02-06T00:17:58Z", 1_580_948_278.0),
        ("2020-02-06T00:17:58.432911368Z", 1_580_948_278.432911368),
        ("2020-02-06T01:17:58+01:00", 1_580_948_278.0),
        ("2020-02-05T19:17:58-05:00", 1_580_948_278.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2024-02-29T12:00:00.5Z", 1_709_208_000.5),
    ])
    func parsesTimestamps(_ text: String, _ expected: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - expected) < 0.000_001)
    }

    @Test(arguments: ["", "2020-02-06", "2020-13-06T00:17:58Z", "2020-02-06T00:17:58", "2020-02-06T00:17:58.Z",
        "2020-02-06T25:00:00Z", "yesterday", "2020-02-06T00:17:58Zjunk"])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsAndRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_580_948_278.432)
        #expect(RFC3339.format(date) == "2020-02-06T00:17:58.432Z")
        let back = try #require(RFC3339.parse(date.rfc3339))
        #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.001)
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }
}

struct DurationTextTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)), ("15m", .seconds(900)), ("4h", .seconds(14_400)), ("2d", .seconds(172_800)),
        ("1h30m", .seconds(5400)), ("250ms", .milliseconds(250)),
    ])
    func parses(_ text: String, _ expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "15", "m", "15x", "1.5h", "-5m", "15m3"])
    func rejects(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}

struct IncidentIDTests {
    @Test func idsSortByCreationTimeAndRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let earlier = IncidentID(now: Date(timeIntervalSince1970: 1_790_000_000), using: &generator)
        let later = IncidentID(now: Date(timeIntervalSince1970: 1_790_000_000.002), using: &generator)
        #expect(earlier < later)
        #expect(earlier.rawValue.count == 26)
        #expect(IncidentID(earlier.rawValue.lowercased()) == earlier)
        #expect(IncidentID("not-an-id") == nil)
        #expect(IncidentID("01M8K14ZJC7FD203A8ZC9K8SJU") == nil)  // U is not Crockford base-32
    }

    @Test func idsMadeInTheSameMillisecondDiffer() {
        var generator = SystemRandomNumberGenerator()
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let ids = Set((0..<1000).map { _ in IncidentID(now: now, using: &generator) })
        #expect(ids.count == 1000)
        #expect(Set(ids.map { $0.rawValue.prefix(10) }).count == 1)
    }
}
