import FoundationEssentials

/// A labelled table (CSV or JSONL) that could not be read, with the 1-based physical line where
/// the problem is when there is one: `line 12: unterminated quoted field`.
public struct TableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the file, counting every LF, CRLF or lone CR, quoted or not; nil when
    /// the problem is not at one place (a column missing from the header).
    public var line: Int?
    public var message: String

    public init(line: Int? = nil, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { "line \(line): \(message)" } else { message }
    }
}

/// How a labelled table is written: CSV with a header row, or one JSON object per line.
public enum TableFormat: String, Sendable, Equatable {
    case csv
    case jsonl

    /// JSONL when the path ends in `.jsonl` or `.ndjson` (any case), or when the first byte that
    /// is not a UTF-8 BOM or whitespace is `{`; CSV otherwise.
    public static func detect(path: String, bytes: [UInt8]) -> TableFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        var index = LabelledTable.bomLength(bytes)
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "{") ? .jsonl : .csv
    }
}
