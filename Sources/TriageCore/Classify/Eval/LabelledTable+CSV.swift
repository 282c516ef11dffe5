import FoundationEssentials

extension LabelledTable {
    /// One CSV record and the line it starts on.
    struct CSVRecord: Equatable {
        var line: Int
        var fields: [String]
    }

    private enum CSVState {
        /// Nothing of the current field read yet.
        case fieldStart
        /// Inside a field that did not start with a quote (quotes in it are ordinary bytes).
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just after the closing quote of a quoted field: only `,` or a line break may follow.
        case afterQuote
    }

    /// RFC 4180 records, in one pass over the bytes. Record separators are LF, CRLF or a lone CR
    /// outside quotes; inside quotes every byte is kept. Blank lines are skipped. Each field must
    /// be valid UTF-8.
    static func csvRecords(_ bytes: [UInt8]) throws(TableError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        try csvRecords(bytes) { (record: CSVRecord) throws(TableError) in records.append(record) }
        return records
    }

    /// The same records handed to `each` one at a time, so a large file never has all its
    /// records in memory at once.
    static func csvRecords(
        _ bytes: [UInt8], each: (CSVRecord) throws(TableError) -> Void
    ) throws(TableError) {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var fields: [String] = []
        var field: [UInt8] = []
        var state = CSVState.fieldStart
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var index = bomLength(bytes)
        let count = bytes.count

        func finishField() throws(TableError) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw TableError(line: line, "not valid UTF-8")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
        }
        func finishRecord() throws(TableError) {
            if fields.isEmpty, field.isEmpty, state == .fieldStart {
                return  // a blank line
            }
            try finishField()
            try each(CSVRecord(line: recordLine, fields: fields))
            fields = []
        }
        /// Ends the record at the line break at `index` (LF, CR or CRLF) and moves past it.
        func lineBreak() throws(TableError) {
            try finishRecord()
            if bytes[index] == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
            line += 1
            recordLine = line
            state = .fieldStart
        }

        while index < count {
            let byte = bytes[index]
            switch state {
            case .fieldStart, .unquoted:
                if byte == comma {
                    try finishField()
                    state = .fieldStart
                } else if byte == lf || byte == cr {
                    try lineBreak()
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                    quoteLine = line
                } else {
                    field.append(byte)
                    state = .unquoted
                }
            case .quoted:
                if byte == quote {
                    if index + 1 < count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        state = .afterQuote
                    }
                } else {
                    field.append(byte)
                    if byte == lf || (byte == cr && !(index + 1 < count && bytes[index + 1] == lf)) { line += 1 }
                }
            case .afterQuote:
                if byte == comma {
                    try finishField()
                    state = .fieldStart
                } else if byte == lf || byte == cr {
                    try lineBreak()
                } else {
                    throw TableError(line: line, "unexpected character after a closing quote (quotes inside a quoted field are written \"\")")
                }
            }
            index += 1
        }
        if state == .quoted { throw TableError(line: quoteLine, "unterminated quoted field") }
        try finishRecord()
    }
}
