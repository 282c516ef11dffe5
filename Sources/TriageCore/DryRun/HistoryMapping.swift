import FoundationEssentials

/// How a CSV export from a ticketing system becomes incidents for a dry-run: which columns hold
/// the text, the time, the id and (optionally) the label the outcome is checked against.
///
/// ```
/// triage dry-run history.csv --text "Short description,Description" --time Opened --id Number --label "Assignment group"
/// ```
public struct HistoryMapping: Sendable, Equatable {
    /// Joined with newlines; the first non-empty one is the title.
    public var text: [String]
    public var time: String?
    public var id: String?
    public var label: String?
    public var service: String?
    public var severity: String?
    /// Columns with when the vendor acknowledged and resolved it (for `--replay`).
    public var acknowledged: String?
    public var resolved: String?

    public init(
        text: [String], time: String? = nil, id: String? = nil, label: String? = nil, service: String? = nil,
        severity: String? = nil
    ) {
        self.text = text
        self.time = time
        self.id = id
        self.label = label
        self.service = service
        self.severity = severity
    }

    /// One row of history: the incident draft, when it happened, its id and its label.
    public struct Row: Sendable, Equatable {
        public var draft: IncidentDraft
        public var at: Date?
        public var id: String
        public var label: String?
        public var acknowledgedAt: Date?
        public var resolvedAt: Date?
        /// The line of the file the row starts on.
        public var line: Int
    }

    /// Reads `bytes` (CSV) named `file` into rows. Errors say the file, the line and what is wrong.
    public func rows(csv bytes: [UInt8], file: String, source: String = "history") throws(TableError) -> [Row] {
        var rows: [Row] = []
        try forEachRow(csv: bytes, file: file, source: source) { (row: Row) throws(TableError) in rows.append(row) }
        return rows
    }

    /// Hands each row to `body` as it is read, so a long history is never all in memory as rows.
    public func forEachRow(
        csv bytes: [UInt8], file: String, source: String = "history", _ body: (Row) throws(TableError) -> Void
    ) throws(TableError) {
        var builder: ((LabelledTable.CSVRecord) throws(TableError) -> Row)?
        var sawHeader = false
        do {
            try LabelledTable.csvRecords(bytes) { (record: LabelledTable.CSVRecord) throws(TableError) in
                if let build = builder {
                    try body(try build(record))
                } else {
                    sawHeader = true
                    builder = try rowBuilder(header: record.fields, file: file, source: source)
                }
            }
        } catch let error where error.message.hasPrefix(file) {
            throw error
        } catch {
            throw TableError(line: error.line, "\(file): \(error.message)")
        }
        guard sawHeader else { throw TableError(line: 1, "\(file): no header row") }
    }

    /// Checks the header and returns what turns each record into a row.
    func rowBuilder(header: [String], file: String, source: String) throws(TableError)
        -> (LabelledTable.CSVRecord) throws(TableError) -> Row
    {
        func column(_ name: String?, _ flag: String) throws(TableError) -> Int? {
            guard let name else { return nil }
            guard let index = header.firstIndex(where: { $0.trimmedSpaces == name }) else {
                throw TableError(line: 1, "\(file): no column '\(name)' for \(flag) (columns: \(header.joined(separator: ", ")))")
            }
            return index
        }
        var textColumns: [Int] = []
        for name in text {
            if let index = try column(name, "--text") { textColumns.append(index) }
        }
        guard !textColumns.isEmpty else { throw TableError(line: 1, "\(file): --text names no column") }
        let timeColumn = try column(time, "--time")
        let idColumn = try column(id, "--id")
        let labelColumn = try column(label, "--label")
        let serviceColumn = try column(service, "--service")
        let severityColumn = try column(severity, "--severity")
        let acknowledgedColumn = try column(acknowledged, "--acknowledged")
        let resolvedColumn = try column(resolved, "--resolved")
        return { (record: LabelledTable.CSVRecord) throws(TableError) -> Row in
            let fields = record.fields
            guard fields.count == header.count else {
                throw TableError(line: record.line, "\(file):\(record.line): \(fields.count) fields but the header has \(header.count)")
            }
            let texts = textColumns.map { fields[$0].trimmedSpaces }.filter { !$0.isEmpty }
            var at: Date?
            if let timeColumn {
                let value = fields[timeColumn].trimmedSpaces
                guard let parsed = Self.timestamp(value) else {
                    throw TableError(
                        line: record.line,
                        "\(file):\(record.line): \(time ?? "time") '\(value)' is not a timestamp "
                            + "(RFC 3339 like 2026-11-29T10:00:00Z, or 2026-11-29 10:00 in UTC)")
                }
                at = parsed
            }
            /// An optional time: empty is none, anything else must parse.
            func optionalTime(_ column: Int?, _ name: String?) throws(TableError) -> Date? {
                guard let column else { return nil }
                let value = fields[column].trimmedSpaces
                guard !value.isEmpty, value != "?" else { return nil }
                guard let parsed = Self.timestamp(value) else {
                    throw TableError(
                        line: record.line,
                        "\(file):\(record.line): \(name ?? "time") '\(value)' is not a timestamp "
                            + "(RFC 3339 like 2026-11-29T10:00:00Z, or 2026-11-29 10:00 in UTC)")
                }
                return parsed
            }
            let acknowledgedAt = try optionalTime(acknowledgedColumn, acknowledged)
            let resolvedAt = try optionalTime(resolvedColumn, resolved)
            let identifier = idColumn.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? "line-\(record.line)"
            let draft = IncidentDraft(
                source: source, externalID: identifier, dedupKey: identifier, title: texts.first ?? "(no text)",
                description: texts.dropFirst().joined(separator: "\n"),
                severity: severityColumn.map { Severity(parsing: fields[$0]) } ?? .unknown,
                service: serviceColumn.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }, occurredAt: at)
            return Row(
                draft: draft, at: at, id: identifier, label: labelColumn.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 },
                acknowledgedAt: acknowledgedAt, resolvedAt: resolvedAt, line: record.line)
        }
    }

    /// RFC 3339, or `YYYY-MM-DD HH:MM[:SS]` / `YYYY-MM-DD`, or day first `D/M/YYYY HH:MM` (as
    /// ServiceNow exports write it), read as UTC.
    public static func timestamp(_ text: String) -> Date? {
        if let date = RFC3339.parse(text) { return date }
        let parts = text.split(separator: " ", maxSplits: 1)
        guard let day = parts.first.flatMap({ LocalDate(parsing: String($0)) ?? dayFirst(String($0)) }) else { return nil }
        var seconds = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":").map { Int($0) }
            guard (2...3).contains(clock.count), clock.allSatisfy({ $0 != nil }) else { return nil }
            let (hour, minute, second) = (clock[0]!, clock[1]!, clock.count == 3 ? clock[2]! : 0)
            guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<61).contains(second) else { return nil }
            seconds = hour * 3600 + minute * 60 + second
        }
        return Date(timeIntervalSince1970: Double(day.daysSinceEpoch * 86_400 + seconds))
    }

    /// `29/2/2016` → 2016-02-29.
    static func dayFirst(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "/").map { Int($0) }
        guard parts.count == 3, let day = parts[0], let month = parts[1], let year = parts[2], year >= 1000 else { return nil }
        return LocalDate(parsing: "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)")
    }
}
