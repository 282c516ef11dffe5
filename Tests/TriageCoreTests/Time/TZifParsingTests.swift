import Foundation
import Testing

@testable import TriageCore

/// TZif bytes built by hand, so every version and the error paths are covered without zone files.
struct TZifParsingTests {
    @Test func versionOneFileUsesTheLastTypeAfterItsLastTransition() throws {
        // Types: 0 is DST (+2h), 1 is standard (+1h). Before the first transition the first
        // non-DST type applies.
        let bytes = ZoneFiles.tzif(
            version: 0, transitions: [1_000_000, 2_000_000], indices: [0, 1],
            types: [(7200, true), (3600, false)])
        let rules = try ZoneRules(tzif: bytes, identifier: "Test/V1")
        #expect(rules.identifier == "Test/V1")
        #expect(rules.offset(at: Date(timeIntervalSince1970: 999_999)) == 3600)
        #expect(rules.offset(at: Date(timeIntervalSince1970: 1_000_000)) == 7200)
        #expect(rules.offset(at: Date(timeIntervalSince1970: 1_999_999)) == 7200)
        #expect(rules.offset(at: Date(timeIntervalSince1970: 2_000_000)) == 3600)
        #expect(rules.offset(at: ZoneFiles.at("2090-01-01T00:00:00Z")) == 3600)
    }

    @Test func versionTwoFileReadsTheSixtyFourBitSectionAndFooter() throws {
        // A transition before 1901 only fits the 64-bit section; the v1 block gets a truncated
        // (wrong) value, which must not be used. After the last transition (1970) the footer rules.
        let early: Int64 = -5_000_000_000
        let bytes = ZoneFiles.tzif(
            version: UInt8(ascii: "2"), transitions: [early, 0], indices: [1, 1],
            types: [(2000, false), (3600, false)], footer: "CET-1CEST,M3.5.0,M10.5.0/3")
        let rules = try ZoneRules(tzif: bytes, identifier: "Test/V2")
        #expect(rules.offset(at: Date(timeIntervalSince1970: TimeInterval(early - 1))) == 2000)
        #expect(rules.offset(at: Date(timeIntervalSince1970: TimeInterval(early))) == 3600)
        #expect(rules.offset(at: ZoneFiles.at("2026-07-01T00:00:00Z")) == 7200)
        #expect(rules.offset(at: ZoneFiles.at("2026-12-01T00:00:00Z")) == 3600)
    }

    @Test func versionThreeFooterWithNegativeTimeAndNoTransitions() throws {
        let bytes = ZoneFiles.tzif(
            version: UInt8(ascii: "3"), types: [(-7200, false)], footer: "<-02>2<-01>,M3.5.0/-1,M10.5.0/0")
        let rules = try ZoneRules(tzif: bytes, identifier: "Test/V3")
        #expect(rules.offset(at: ZoneFiles.at("2026-03-29T00:59:59Z")) == -7200)
        #expect(rules.offset(at: ZoneFiles.at("2026-03-29T01:00:00Z")) == -3600)
        #expect(rules.local(ZoneFiles.at("2026-03-29T01:00:00Z")).description == "2026-03-29T00:00:00")
    }

    @Test func emptyFooterKeepsTheLastType() throws {
        let bytes = ZoneFiles.tzif(
            version: UInt8(ascii: "2"), transitions: [0], indices: [1], types: [(0, false), (-10_800, false)], footer: "")
        let rules = try ZoneRules(tzif: bytes, identifier: "Test/NoFooter")
        #expect(rules.offset(at: ZoneFiles.at("2090-01-01T00:00:00Z")) == -10_800)
    }

    @Test func systemUTCAndNuukFilesIfPresent() throws {
        if ZoneFiles.available("UTC") {
            #expect(try ZoneFiles.rules("UTC").offset(at: ZoneFiles.at("2026-07-01T00:00:00Z")) == 0)
        }
        if ZoneFiles.available("America/Nuuk") {
            let nuuk = try ZoneFiles.rules("America/Nuuk")
            #expect(nuuk.offset(at: ZoneFiles.at("2026-03-29T01:00:00Z")) == -3600)
            #expect(nuuk.offset(at: ZoneFiles.at("2026-10-25T01:00:00Z")) == -7200)
        }
    }

    @Test func rejectsBadData() throws {
        func message(_ bytes: [UInt8]) -> String? {
            do {
                _ = try ZoneRules(tzif: bytes, identifier: "Bad/Zone")
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message([]) == "time zone 'Bad/Zone': invalid TZif data: not a TZif file (no 'TZif' magic)")
        #expect(message(Array("# tzdb zone.tab\n".utf8))?.hasSuffix("not a TZif file (no 'TZif' magic)") == true)
        let good = ZoneFiles.tzif(
            version: UInt8(ascii: "2"), transitions: [0], indices: [0], types: [(3600, false)], footer: "CET-1")
        #expect(message(good) == nil)
        #expect(message(Array(good.prefix(50)))?.contains("truncated") == true)
        #expect(message(Array(good.dropLast(1)))?.hasSuffix("malformed footer") == true)
        let badFooter = ZoneFiles.tzif(version: UInt8(ascii: "2"), types: [(3600, false)], footer: "CET-1CEST,M3")
        #expect(message(badFooter)?.contains("invalid POSIX TZ string 'CET-1CEST,M3'") == true)
        let badIndex = ZoneFiles.tzif(version: 0, transitions: [0], indices: [5], types: [(3600, false)])
        #expect(message(badIndex)?.hasSuffix("type index 5 out of range") == true)
        let unordered = ZoneFiles.tzif(version: 0, transitions: [10, 5], indices: [0, 0], types: [(3600, false)])
        #expect(message(unordered)?.hasSuffix("transition times not ascending") == true)
        let noTypes = ZoneFiles.tzif(version: 0, types: [])
        #expect(message(noTypes)?.hasSuffix("no local time types") == true)
    }
}
