import Foundation
import Synchronization

/// Everything a test saw from the outside (process output, HTTP answers, files, what the vendor
/// received), labelled, and the secret values none of it may contain.
final class LeakCheck: Sendable {
    /// One named secret and the forms it must not appear in (as is, and base64).
    struct Secret: Sendable {
        var name: String
        var forms: [String]
    }

    private let secrets: [Secret]
    private let seen = Mutex<[(label: String, bytes: [UInt8])]>([])

    init(_ secrets: [(name: String, value: String)], extraForms: [(name: String, value: String)] = []) {
        var list = secrets.map { Secret(name: $0.name, forms: [$0.value, Data($0.value.utf8).base64EncodedString()]) }
        list += extraForms.map { Secret(name: $0.name, forms: [$0.value]) }
        self.secrets = list
    }

    /// Keeps `bytes` to be checked, under `label` (said in a failure).
    func add(_ label: String, _ bytes: [UInt8]) {
        seen.withLock { $0.append((label, bytes)) }
    }

    func add(_ label: String, _ text: String) { add(label, Array(text.utf8)) }

    /// Every (label, secret name, excerpt) where a secret form was found.
    func leaks() -> [String] {
        let items = seen.withLock { $0 }
        var found: [String] = []
        for item in items {
            for secret in secrets {
                for form in secret.forms {
                    guard let range = Self.range(of: Array(form.utf8), in: item.bytes) else { continue }
                    let start = max(0, range.lowerBound - 120)
                    let end = min(item.bytes.count, range.upperBound + 60)
                    let excerpt = String(decoding: item.bytes[start..<end], as: UTF8.self)
                    found.append("\(secret.name) in \(item.label): …\(excerpt)…")
                }
            }
        }
        return found
    }

    /// How many items, bytes and lines were checked.
    var summary: (items: Int, bytes: Int, lines: Int) {
        seen.withLock { items in
            (items.count, items.reduce(0) { $0 + $1.bytes.count },
             items.reduce(0) { $0 + $1.bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } })
        }
    }

    private static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, Array(haystack[index..<(index + needle.count)]) == needle {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }
}
