import Foundation
import Testing

@testable import TriageCore

/// Zone data for the time tests: the system's TZif files (read here, since Core does no I/O),
/// TZif bytes built by hand, and UTC instants from text.
enum ZoneFiles {
    static let directory = "/usr/share/zoneinfo"

    /// Whether every named zone file is readable; suites that need them skip otherwise.
    static func available(_ identifiers: String...) -> Bool {
        identifiers.allSatisfy { FileManager.default.isReadableFile(atPath: directory + "/" + $0) }
    }

    static func bytes(_ identifier: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: directory + "/" + identifier)))
    }

    static func rules(_ identifier: String) throws -> ZoneRules {
        try ZoneRules(tzif: bytes(identifier), identifier: identifier)
    }

    /// `2026-03-29T01:00:00Z` as a `Date`.
    static func at(_ text: String) -> Date {
        guard let date = RFC3339.parse(text) else { preconditionFailure("bad test timestamp \(text)") }
        return date
    }

    /// A TZif file: `version` 0 (v1 only) or `"2"`/`"3"` (32-bit block, 64-bit block, footer).
    /// Every type uses the abbreviation `ABC`.
    static func tzif(
        version: UInt8, transitions: [Int64] = [], indices: [UInt8] = [], types: [(offset: Int32, isDST: Bool)],
        footer: String? = nil
    ) -> [UInt8] {
        func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.bigEndian) { Array($0) }
        }
        func block(timeSize: Int) -> [UInt8] {
            var out = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
            for count in [0, 0, 0, transitions.count, types.count, 4] { out += be(UInt32(count)) }
            for t in transitions { out += timeSize == 4 ? be(Int32(truncatingIfNeeded: t)) : be(t) }
            out += indices
            for type in types { out += be(type.offset) + [type.isDST ? 1 : 0, 0] }
            return out + Array("ABC\0".utf8)
        }
        var bytes = block(timeSize: 4)
        if version != 0 {
            bytes += block(timeSize: 8) + Array("\n\(footer ?? "")\n".utf8)
        }
        return bytes
    }
}
