import FoundationEssentials

/// One row of an evaluation file: the text to classify and the expected label.
public struct LabelledExample: Sendable, Equatable {
    public var text: String
    public var label: String

    public init(text: String, label: String) {
        self.text = text
        self.label = label
    }
}

/// Reads labelled tables for `triage eval`: CSV (RFC 4180) with a header row, or JSONL.
///
/// The row rules (mirrored exactly by `scripts/sklearn_baseline.py`):
/// - a leading UTF-8 BOM is ignored; blank lines outside quotes are skipped;
/// - a CSV record must have as many fields as the header;
/// - JSONL values are read with ``JSONValue/scalarText``; a missing key, `null`, an array or an
///   object reads as the empty string;
/// - the label is the label column with spaces, tabs, CR and LF trimmed at both ends; rows whose
///   label is then empty are dropped;
/// - the text is the non-empty values of the text columns, in the order given, joined with one
///   space (values are not otherwise changed).
public struct LabelledTable {
    /// Parses a CSV file: the header row, then every record as it stands (quotes removed, `""`
    /// unescaped, line breaks inside quotes kept byte for byte). Records with a different number
    /// of fields than the header, unterminated quotes and stray bytes after a closing quote are
    /// errors with their line.
    public static func parseCSV(_ bytes: [UInt8]) throws(TableError) -> (header: [String], rows: [[String]]) {
        var records = try csvRecords(bytes)
        guard !records.isEmpty else { throw TableError(line: 1, "no header row") }
        let header = records.removeFirst().fields
        for record in records where record.fields.count != header.count {
            throw TableError(
                line: record.line, "\(record.fields.count) fields but the header has \(header.count)")
        }
        return (header, records.map(\.fields))
    }

    /// Parses JSONL: one JSON object per line (blank lines skipped, CRLF allowed). The header is
    /// every key seen, in order of first appearance (keys of one object sorted); each row has a
    /// value per header key, the empty string where the object has none or a non-scalar.
    public static func parseJSONL(_ bytes: [UInt8]) throws(TableError) -> (header: [String], rows: [[String]]) {
        var header: [String] = []
        var position: [String: Int] = [:]
        var objects: [[String: String]] = []
        var start = bomLength(bytes)
        var line = 0
        while start < bytes.count {
            line += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            var last = end
            while last > start, [0x20, 0x09, 0x0D].contains(bytes[last - 1]) { last -= 1 }
            var first = start
            while first < last, [0x20, 0x09].contains(bytes[first]) { first += 1 }
            start = next
            guard first < last else { continue }
            let value: JSONValue
            do {
                value = try JSONValue.parse(Array(bytes[first..<last]))
            } catch {
                throw TableError(line: line, error.message)
            }
            guard case .object(let members) = value else { throw TableError(line: line, "not a JSON object") }
            var row: [String: String] = [:]
            for key in members.keys.sorted() {
                if position[key] == nil {
                    position[key] = header.count
                    header.append(key)
                }
                row[key] = members[key]?.scalarText ?? ""
            }
            objects.append(row)
        }
        return (header, objects.map { row in header.map { row[$0] ?? "" } })
    }

    /// The labelled examples of a CSV or JSONL file, in file order, rows with an empty label
    /// dropped (see the type's rules).
    public static func examples(
        from bytes: [UInt8], format: TableFormat, textColumns: [String], labelColumn: String
    ) throws(TableError) -> [LabelledExample] {
        let table = format == .csv ? try parseCSV(bytes) : try parseJSONL(bytes)
        var index: [String: Int] = [:]
        for (offset, name) in table.header.enumerated() where index[name] == nil { index[name] = offset }
        func column(_ name: String) throws(TableError) -> Int {
            guard let offset = index[name] else {
                let place = format == .csv ? "header" : "any object"
                let listed = table.header.isEmpty ? "none" : table.header.joined(separator: ", ")
                throw TableError("column '\(name)' not in \(place) (columns: \(listed))")
            }
            return offset
        }
        guard !textColumns.isEmpty else { throw TableError("no text column given") }
        var textOffsets: [Int] = []
        for name in textColumns { textOffsets.append(try column(name)) }
        let labelOffset = try column(labelColumn)
        var examples: [LabelledExample] = []
        examples.reserveCapacity(table.rows.count)
        for row in table.rows {
            let label = trimmedLabel(row[labelOffset])
            guard !label.isEmpty else { continue }
            let text = textOffsets.map { row[$0] }.filter { !$0.isEmpty }.joined(separator: " ")
            examples.append(LabelledExample(text: text, label: label))
        }
        return examples
    }

    /// The label with ASCII space, tab, CR and LF removed at both ends.
    static func trimmedLabel(_ value: String) -> String {
        let utf8 = Array(value.utf8)
        let blank: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A]
        var lower = 0
        var upper = utf8.count
        while lower < upper, blank.contains(utf8[lower]) { lower += 1 }
        while upper > lower, blank.contains(utf8[upper - 1]) { upper -= 1 }
        if lower == 0 && upper == utf8.count { return value }
        return String(decoding: utf8[lower..<upper], as: UTF8.self)
    }

    /// 3 when the bytes start with a UTF-8 byte order mark, else 0.
    static func bomLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }
}
