import Foundation
import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line (to standard error by default), for log
/// collectors (journald, Loki, CloudWatch, …):
///
/// ```
/// {"ts":"2026-11-29T12:00:00.123Z","level":"info","label":"triage","msg":"starting","role":"all","source":"TriageApp"}
/// ```
///
/// - `ts` (UTC, milliseconds), `level`, `label` and `msg` come first, then the metadata sorted by key
///   (bytewise), then `source` (swift-log's source: the module that logged). A metadata key equal to
///   one of those five is written as `metadata.KEY` so that no key appears twice.
/// - Every metadata value is a JSON string. Nested dictionaries and arrays are flattened to the
///   compact JSON text of their value (dictionary keys sorted), inside that string.
/// - Redaction (belt and braces: nothing should log a secret in the first place): a metadata key,
///   at any depth, containing `authorization`, `token`, `secret`, `password` or `cookie` (any case)
///   has its value written as `"[redacted]"`.
/// - Strings are escaped by hand (quotes, backslashes, control characters as `\n`, `\t`, `\u001b`, …);
///   non-ASCII text stays UTF-8. Each line is built whole and handed to the output in one call;
///   the output takes a lock around each call, so lines from concurrent tasks never interleave.
public struct JSONLogHandler: LogHandler {
    /// Where finished lines go. Calls never overlap: each output holds a lock around its sink.
    public struct Output: Sendable {
        private let writer: LockedWriter

        /// Hands each finished line (ending in `\n`) to `sink`, one call per line, never two at once.
        public init(_ sink: @escaping @Sendable ([UInt8]) -> Void) {
            writer = LockedWriter(sink: sink)
        }

        /// Standard error (file descriptor 2), one `write(2)` per line (repeated only if the
        /// kernel takes part of a very long line), shared by every handler in the process.
        public static let standardError = Output { bytes in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // stderr is gone: nothing sensible left to do with a log line
                    }
                }
            }
        }

        func send(_ line: [UInt8]) { writer.write(line) }
    }

    /// The key fragments whose values are never written (compared in lower case).
    public static let redactedKeyFragments = ["authorization", "token", "secret", "password", "cookie"]

    /// The label given to `Logger(label:)`.
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: Output
    private let now: @Sendable () -> Date

    /// A handler for `label` writing to `output`, stamping lines with `now()`.
    public init(
        label: String, output: Output = .standardError, metadataProvider: Logger.MetadataProvider? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
        self.now = now
    }

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one JSON line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let given = event.metadata { merged.merge(given) { $1 } }
        output.send(
            Self.line(
                time: now(), level: event.level, label: label, message: event.message.description, metadata: merged,
                source: event.source))
    }

    /// The bytes of one log line, ending in `\n`.
    static func line(
        time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + message.utf8.count + metadata.count * 32)
        out.append(contentsOf: #"{"ts":""#.utf8)
        appendTimestamp(time, to: &out)
        out.append(contentsOf: #"","level":"#.utf8)
        appendString(level.rawValue, to: &out)
        out.append(contentsOf: #","label":"#.utf8)
        appendString(label, to: &out)
        out.append(contentsOf: #","msg":"#.utf8)
        appendString(message, to: &out)
        let entries = metadata.map { key, value in (reserved.contains(key) ? "metadata." + key : key, key, value) }
        for (name, key, value) in entries.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }) {
            out.append(UInt8(ascii: ","))
            appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(isRedacted(key) ? "[redacted]" : flattened(value), to: &out)
        }
        out.append(contentsOf: #","source":"#.utf8)
        appendString(source, to: &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    private static let reserved: Set<String> = ["ts", "level", "label", "msg", "source"]

    /// Whether a metadata key names something secret.
    static func isRedacted(_ key: String) -> Bool {
        let lower = key.lowercased()
        return redactedKeyFragments.contains { lower.contains($0) }
    }

    /// A metadata value as one string: itself, or the compact JSON text of a nested value.
    static func flattened(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .dictionary, .array:
            var out: [UInt8] = []
            appendNested(value, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A nested value as JSON: strings for leaves, sorted keys, redaction at every depth.
    private static func appendNested(_ value: Logger.MetadataValue, to out: inout [UInt8]) {
        switch value {
        case .string(let text): appendString(text, to: &out)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendNested(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            out.append(UInt8(ascii: "{"))
            for (index, key) in dictionary.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if isRedacted(key) {
                    appendString("[redacted]", to: &out)
                } else if let nested = dictionary[key] {
                    appendNested(nested, to: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `text` as a quoted JSON string: `"` and `\` escaped, control characters as short escapes
    /// or `\u00XX`, everything else (non-ASCII included) copied as UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `time` as `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, computed without a formatter or the C library.
    static func appendTimestamp(_ time: Date, to out: inout [UInt8]) {
        // Round to the microsecond first: x.999 s is not exact in binary and must not become x.998.
        let microseconds = Int64((time.timeIntervalSince1970 * 1_000_000).rounded())
        let milliseconds = microseconds >= 0 ? microseconds / 1000 : (microseconds - 999) / 1000
        let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, msOfDay) = millisecondOfDay < 0 ? (days - 1, millisecondOfDay + 86_400_000) : (days, millisecondOfDay)
        // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
        let shifted = day + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        out.append(UInt8(ascii: "-"))
        digits(month, 2)
        out.append(UInt8(ascii: "-"))
        digits(dayOfMonth, 2)
        out.append(UInt8(ascii: "T"))
        digits(msOfDay / 3_600_000, 2)
        out.append(UInt8(ascii: ":"))
        digits(msOfDay / 60_000 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(msOfDay / 1000 % 60, 2)
        out.append(UInt8(ascii: "."))
        digits(msOfDay % 1000, 3)
        out.append(UInt8(ascii: "Z"))
    }
}

/// A sink behind a lock: one line at a time.
private final class LockedWriter: Sendable {
    private let lock = Mutex(())
    private let sink: @Sendable ([UInt8]) -> Void

    init(sink: @escaping @Sendable ([UInt8]) -> Void) {
        self.sink = sink
    }

    func write(_ line: [UInt8]) {
        lock.withLock { _ in sink(line) }
    }
}
