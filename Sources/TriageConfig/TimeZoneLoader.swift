import Foundation
import Synchronization
import TriageCore

/// Loads IANA time zones from the system's TZif files (`$TZDIR`, else `/usr/share/zoneinfo`),
/// once per zone and directory; ``ZoneRules`` does the arithmetic.
public enum TimeZoneLoader {
    private static let cache = Mutex<[String: ZoneRules]>([:])

    /// The rules of `identifier` (`Europe/Paris`). `UTC`, `Etc/UTC` and `Z` are ``ZoneRules/utc``
    /// without reading anything. Identifiers with `..`, a leading `/` or characters outside
    /// letters, digits, `_`, `-`, `+`, `.` and `/` are refused.
    public static func load(
        _ identifier: String,
        directory: String = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
    ) throws(ZoneRulesError) -> ZoneRules {
        if ["UTC", "Etc/UTC", "Z"].contains(identifier) { return .utc }
        let allowed = identifier.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "_-+./".unicodeScalars.contains($0)
        }
        guard !identifier.isEmpty, allowed, !identifier.hasPrefix("/"), !identifier.contains("..") else {
            throw ZoneRulesError("invalid time zone name '\(identifier)' (an IANA name such as Europe/Paris)")
        }
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + identifier
        if let cached = cache.withLock({ $0[path] }) { return cached }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else {
            throw ZoneRulesError("unknown time zone '\(identifier)' (no file \(path))")
        }
        let rules = try ZoneRules(tzif: Array(data), identifier: identifier)
        cache.withLock { $0[path] = rules }
        return rules
    }
}
