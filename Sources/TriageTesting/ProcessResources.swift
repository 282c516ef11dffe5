import Foundation

/// What a running process holds, read from /proc: resident memory and open file descriptors.
public struct ProcessResources: Sendable, Equatable {
    /// Resident set size in bytes (`VmRSS`).
    public var residentBytes: Int
    /// Entries in /proc/PID/fd.
    public var openFiles: Int

    /// The resources of process `pid` now; `nil` when /proc has no such process.
    public static func of(pid: Int32) -> ProcessResources? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }),
            let files = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return nil }
        return ProcessResources(residentBytes: kilobytes * 1024, openFiles: files.count)
    }

    /// The size in bytes of a SQLite database with its write-ahead log and shared-memory file.
    public static func sqliteBytes(path: String) -> Int {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0
            return total + size
        }
    }
}
