import Crypto
import Foundation

/// The SHA-256 of every file in a configuration directory (relative path → first 16 hex digits),
/// so the audit trail can say which files a reload or a restart changed without copying them.
struct ConfigDigest: Sendable, Equatable {
    var files: [String: String]

    /// Reads every regular, non-hidden file under `directory` (files over 16 MiB count by size only).
    static func of(directory: String) -> ConfigDigest {
        var files: [String: String] = [:]
        let root = URL(fileURLWithPath: directory)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey],
            options: [.skipsHiddenFiles])
        else { return ConfigDigest(files: [:]) }
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]), values.isRegularFile == true
            else { continue }
            let name = String(url.path.dropFirst(root.path.count + 1))
            if (values.fileSize ?? 0) > 16 << 20 {
                files[name] = "size:\(values.fileSize ?? 0)"
            } else if let data = FileManager.default.contents(atPath: url.path) {
                files[name] = SHA256.hash(data: data).prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            }
        }
        return ConfigDigest(files: files)
    }

    /// Every file with its digest, sorted (`rules.yaml=1a2b…`).
    var summary: String {
        files.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// What changed from `old` to this one: `rules.yaml 1a2b…→3c4d…`, `+new.yaml`, `-gone.yaml`; "no file changed" when none.
    func changes(since old: ConfigDigest) -> String {
        var parts: [String] = []
        for name in Set(files.keys).union(old.files.keys).sorted() {
            switch (old.files[name], files[name]) {
            case (nil, let new?): parts.append("+\(name) \(new)")
            case (let gone?, nil): parts.append("-\(name) \(gone)")
            case (let before?, let after?) where before != after: parts.append("\(name) \(before)→\(after)")
            default: break
            }
        }
        return parts.isEmpty ? "no file changed" : parts.joined(separator: "; ")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
