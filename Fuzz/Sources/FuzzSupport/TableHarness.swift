import FoundationEssentials
import TriageCore

/// What the CSV targets feed their bytes to: the RFC 4180 reader behind `triage eval` and `triage dry-run`
/// history files, and the ServiceNow event-log reader behind `triage replay`.
///
/// Any input may be rejected, but only with a ``TableError`` that has a message and, when it names a
/// line, a line of the file; anything else (a trap, a sanitizer report, a hang) is a finding.
public enum TableHarness {
    /// Reads `bytes` as a labelled table, as labelled examples and as a dry-run history.
    public static func csv(_ bytes: [UInt8]) {
        let lines = lineCount(bytes)
        var header = ["id", "opened", "summary", "details", "group"]  // fixtures/dry-run/history.csv
        do {
            let table = try LabelledTable.parseCSV(bytes)
            for row in table.rows where row.count != table.header.count {
                fatalError("a CSV row with \(row.count) fields under a header of \(table.header.count) was accepted")
            }
            if !table.header.isEmpty { header = table.header }
        } catch {
            check(error, lines: lines)
        }
        do {
            let columns = Array(header.prefix(2))
            _ = try LabelledTable.examples(from: bytes, format: .csv, textColumns: columns, labelColumn: header[header.count - 1])
        } catch {
            check(error, lines: lines)
        }
        var mapping = HistoryMapping(
            text: header.count > 2 ? Array(header.dropFirst(2).prefix(2)) : [header[0]], time: header.count > 1 ? header[1] : nil, id: header[0],
            label: header.last)
        if header.count > 5 {
            mapping.acknowledged = header[4]
            mapping.resolved = header[5]
        }
        do {
            _ = try mapping.rows(csv: bytes, file: "fuzz.csv")
        } catch {
            check(error, lines: lines)
        }
    }

    /// Reads `bytes` as a ServiceNow incident event log, then replays the events it read under every
    /// built-in SLA policy.
    public static func eventLog(_ bytes: [UInt8]) {
        do {
            let events = try ServiceNowEventLog.parse(bytes)
            _ = EventLogReplay.run(events, policies: ReplayPolicy.builtIn)
        } catch {
            check(error, lines: lineCount(bytes))
        }
    }

    /// A rejection must say what, and any line it names must be a line of the input.
    static func check(_ error: TableError, lines: Int) {
        guard !error.message.isEmpty else { fatalError("a CSV rejection without a message") }
        if let line = error.line, !(1...lines).contains(line) {
            fatalError("a CSV rejection names line \(line) of an input with \(lines) line(s): \(error.message)")
        }
    }

    /// Lines in `bytes`, counting every LF, CRLF or lone CR as a break (as ``TableError/line`` does);
    /// at least 1.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var lines = 1
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                lines += 1
            } else if bytes[index] == 0x0D {
                lines += 1
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            }
            index += 1
        }
        return lines
    }
}
