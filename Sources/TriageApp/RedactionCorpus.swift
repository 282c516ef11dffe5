import Foundation
import TriageCore

/// Texts for `triage bench redaction`: incident prose (the project's `fixtures/` history and
/// generated sentences full of near misses — timestamps, versions, ticket and order numbers, hex
/// ids), the raw webhook payloads under `fixtures/payloads`, and the same prose with personal data
/// and secrets planted at a known density (valid Luhn cards and mod-97 IBANs included).
struct RedactionCorpus {
    var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func number(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    mutating func pick<T>(_ list: [T]) -> T { list[number(0...(list.count - 1))] }

    mutating func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(number(0...9))) }) }

    /// One sentence of incident prose without personal data.
    mutating func sentence() -> String {
        let time = String(format: "2026-11-%02dT%02d:%02d:%02dZ", number(1...28), number(0...23), number(0...59), number(0...59))
        switch number(0...6) {
        case 0:
            return "Replication lag on db-\(number(1...40)) reached \(number(2...90))s at \(time) after the upgrade to version "
                + "\(number(1...16)).\(number(0...9)).\(number(0...9)).\(number(0...99)). "
        case 1:
            return "Disk /data at \(number(90...99)) percent on nas-\(number(1...9)); ticket INC-\(digits(6)) opened, order "
                + "\(digits(12)) affected. "
        case 2:
            return "Pod api-\(String(generator.next(), radix: 16).prefix(10)) restarted \(number(2...30)) times in the last "
                + "\(number(5...60)) minutes (exit code 137, OOMKilled). "
        case 3:
            return "Latency p99 \(number(200...4000))ms on checkout; build \(number(1...3)).\(number(0...20)).\(number(0...9))-rc"
                + "\(number(1...5)); trace \(String(generator.next(), radix: 16))\(String(generator.next(), radix: 16)). "
        case 4:
            return "Users report SSO error 500 since \(number(10...23)):\(number(10...59)):\(number(10...59)); see runbook section "
                + "\(number(1...9)).\(number(1...9)).\(number(1...9)) and KB\(digits(7)). "
        case 5:
            return "Invoice batch \(digits(16)) failed at step \(number(1...9)) of 9 on \(time), queue depth \(number(1000...90000)). "
        default:
            return "The VPN tunnel to the Lyon office flapped \(number(2...20)) times between \(number(10...12)):\(number(10...59)) "
                + "and \(number(13...18)):\(number(10...59)); MAC 00:1a:2b:\(number(10...99)):4d:5e seen on port \(number(1...48)). "
        }
    }

    /// One planted value and its kind.
    mutating func personal() -> (kind: String, value: String) {
        let names = ["jane.doe", "p.martin", "oleksandr", "li.wei", "m.garcia", "kofi", "anna-lena"]
        switch number(0...8) {
        case 0: return ("email", "\(pick(names))\(number(1...99))@\(pick(["example.com", "acme.example.org", "mail.example.net"]))")
        case 1: return ("phone", pick(["+33 6 \(digits(2)) \(digits(2)) \(digits(2)) \(digits(2))", "+1 (415) 555-\(digits(4))",
            "+44 20 7946 \(digits(4))", "020 7946 \(digits(4))"]))
        case 2: return ("iban", iban())
        case 3: return ("card", card())
        case 4: return ("ipv4", "\(number(11...223)).\(number(0...255)).\(number(0...255)).\(number(1...254))")
        case 5: return ("ipv6", "2001:db8:\(String(number(1...0xffff), radix: 16))::\(String(number(1...0xffff), radix: 16))")
        case 6: return ("secret", "Bearer eyJ\(String(generator.next(), radix: 36))\(String(generator.next(), radix: 36))")
        case 7: return ("secret", "password=Hx\(String(generator.next(), radix: 36))")
        default: return ("secret", "https://svc:S\(String(generator.next(), radix: 36))@db.example.net/x?api_key=k\(digits(12))")
        }
    }

    /// A German IBAN with valid check digits.
    mutating func iban() -> String {
        let bban = digits(18)
        var remainder = 0
        for byte in (bban + "131400").utf8 { remainder = (remainder * 10 + Int(byte - 48)) % 97 }  // "DE00" as digits
        return String(format: "DE%02d", 98 - remainder) + bban
    }

    /// A Visa number with a valid Luhn digit, in groups of four.
    mutating func card() -> String {
        let body = "4" + digits(14)
        var sum = 0
        for (index, byte) in body.utf8.reversed().enumerated() {
            var digit = Int(byte - 48)
            if index % 2 == 0 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        let number = body + String((10 - sum % 10) % 10)
        return stride(from: 0, to: 16, by: 4).map { offset in
            String(number.dropFirst(offset).prefix(4))
        }.joined(separator: " ")
    }

    /// Chunks of about `chunk` bytes of clean prose (fixture history lines mixed in) totalling `bytes`.
    mutating func prose(bytes: Int, chunk: Int, history: [String]) -> [String] {
        var chunks: [String] = []
        var total = 0
        while total < bytes {
            var text = ""
            while text.utf8.count < chunk {
                text += !history.isEmpty && number(0...3) == 0 ? pick(history) + ". " : sentence()
            }
            total += text.utf8.count
            chunks.append(text)
        }
        return chunks
    }

    /// Like ``prose(bytes:chunk:history:)`` with one planted value per `spacing` bytes on average;
    /// returns each chunk's planted values too.
    mutating func planted(bytes: Int, chunk: Int, spacing: Int, history: [String]) -> (chunks: [String], values: [[String]]) {
        var chunks: [String] = []
        var values: [[String]] = []
        var total = 0
        var budget = 0
        while total < bytes {
            var text = ""
            var planted: [String] = []
            while text.utf8.count < chunk {
                let line = !history.isEmpty && number(0...3) == 0 ? pick(history) + ". " : sentence()
                text += line
                budget += line.utf8.count
                while budget >= spacing {
                    budget -= spacing
                    let value = personal().value
                    planted.append(value)
                    text += "Contact \(value) about it. "
                }
            }
            total += text.utf8.count
            chunks.append(text)
            values.append(planted)
        }
        return (chunks, values)
    }

    /// The text columns of the fixtures' history CSV, and the raw webhook payloads under `fixtures/payloads`.
    static func fixtures(_ directory: String) -> (history: [String], payloads: [String]) {
        var history: [String] = []
        if let text = try? String(contentsOfFile: directory + "/dry-run/history.csv", encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                if cells.count >= 4 { history.append(cells[2] + ", " + cells[3]) }
            }
        }
        var payloads: [String] = []
        let root = directory + "/payloads"
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let path as String in walker where path.hasSuffix(".json") {
                if let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8) { payloads.append(text) }
            }
        }
        return (history, payloads.sorted())
    }
}
