import Foundation
import Glibc

/// A small filesystem mounted (as root) for a store to live on, so a test can fill it or make it
/// read-only under a running `triage serve`: a tmpfs of a few megabytes, or an ext4 image on a loop
/// device mounted `errors=remount-ro`. ``unmount()`` undoes it.
struct DiskFullMount {
    /// The mount point.
    let path: String
    /// The ext4 image and its loop device; `nil` for a tmpfs.
    let image: String?
    let device: String?

    /// Why these tests cannot run here (not root, or `mount` refused), or `nil` when they can.
    static func unavailableReason(probe directory: String) -> String? {
        guard getuid() == 0 else { return "not root (uid \(getuid())): mounting a small filesystem needs root" }
        let point = directory + "/probe"
        do {
            let mount = try tmpfs(at: point, size: "1m")
            mount.unmount()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Mounts a tmpfs of `size` (`4m`) at `path`, creating the directory.
    static func tmpfs(at path: String, size: String) throws -> DiskFullMount {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
        return DiskFullMount(path: path, image: nil, device: nil)
    }

    /// Formats an ext4 image of `megabytes` at `image` and mounts it at `path` through a loop
    /// device with `errors=remount-ro`: an error the filesystem reports turns it read-only at once,
    /// open files included, as the kernel does to a failing disk.
    static func ext4(at path: String, image: String, megabytes: Int) throws -> DiskFullMount {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try run("/usr/bin/truncate", ["-s", "\(megabytes)M", image])
        try run("/sbin/mkfs.ext4", ["-q", "-F", image])
        try run("/bin/mount", ["-o", "loop,errors=remount-ro", image, path])
        let device = try run("/bin/findmnt", ["-n", "-o", "SOURCE", path]).trimmingCharacters(in: .whitespacesAndNewlines)
        return DiskFullMount(path: path, image: image, device: device)
    }

    /// Unmounts (lazily if files are still open), releasing the loop device.
    func unmount() {
        if (try? Self.run("/bin/umount", [path])) == nil { _ = try? Self.run("/bin/umount", ["-l", path]) }
    }

    /// `mount -o remount,ro` (or `rw`); the error says why the kernel refused.
    func remount(readOnly: Bool) throws {
        try Self.run("/bin/mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", path])
    }

    /// Makes the ext4 filesystem report an error (`/sys/fs/ext4/DEV/trigger_fs_error`): mounted
    /// `errors=remount-ro`, it turns read-only at once, under the files open for writing too.
    func failReadOnly() throws {
        guard let device else { throw Failed(command: "trigger_fs_error", output: "not an ext4 mount") }
        let name = URL(fileURLWithPath: device).lastPathComponent
        try "triage disk-full test\n".write(toFile: "/sys/fs/ext4/\(name)/trigger_fs_error", atomically: false, encoding: .utf8)
    }

    /// Unmounts, repairs with `e2fsck` and mounts the ext4 image again, read-write.
    func repairAndMount() throws -> DiskFullMount {
        guard let image else { throw Failed(command: "e2fsck", output: "not an ext4 mount") }
        unmount()
        _ = try? Self.run("/sbin/e2fsck", ["-f", "-y", image])
        try Self.run("/bin/mount", ["-o", "loop,errors=remount-ro", image, path])
        let device = try Self.run("/bin/findmnt", ["-n", "-o", "SOURCE", path]).trimmingCharacters(in: .whitespacesAndNewlines)
        return DiskFullMount(path: path, image: image, device: device)
    }

    /// Appends to `filler` until the filesystem is full (ENOSPC); returns the bytes written. Call
    /// again to take space freed since.
    func fill() throws -> Int {
        let descriptor = open(path + "/filler", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw Failed(command: "open filler", output: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0xA5, count: 16 * 1024)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                total += written
                continue
            }
            if written < 0 && errno == EINTR { continue }
            guard written < 0 && errno == ENOSPC else {
                throw Failed(command: "write filler", output: String(cString: strerror(errno)))
            }
            break
        }
        // Smaller writes take the last partial blocks too.
        let byte: [UInt8] = [0]
        while byte.withUnsafeBytes({ write(descriptor, $0.baseAddress, 1) }) == 1 { total += 1 }
        return total
    }

    /// Deletes the filler: the space is free again.
    func removeFiller() throws {
        try FileManager.default.removeItem(atPath: path + "/filler")
    }

    struct Failed: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "\(command) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines))" }
    }

    /// Runs a program to completion; returns its output, or throws with it when the status is not 0.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(command: ([executable] + arguments).joined(separator: " "), output: output)
        }
        return output
    }
}
