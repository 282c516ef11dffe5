import Foundation
import TriageCore

/// Turns dry-run input files into incidents, one at a time and in the order given (a CSV history
/// is read row by row, never all at once), each with a stable input id and a reproducible
/// incident id (seeded), so the same input always gives the same output.
struct DryRunInputs {
    /// A problem with an input file, with the file (and line) it is in.
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    var source: SourceKind?
    var mapping: HistoryMapping?
    var now: Date

    /// Hands each input incident to `body` with its place (`file:line`), in order.
    func forEach(_ paths: [String], _ body: (DryRun.Entry, String) throws(TableError) -> Void) throws {
        var generator = SplitMix64(seed: 42)
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Failure("\(path): no such file, or not readable")
            }
            let bytes = Array(data)
            let name = (path as NSString).lastPathComponent
            do {
                if path.hasSuffix(".csv") {
                    guard let mapping else { throw Failure("\(path): a CSV input needs --text") }
                    try mapping.forEachRow(csv: bytes, file: name) { (row: HistoryMapping.Row) throws(TableError) in
                        var item = entry(row.draft, inputID: row.id, label: row.label, generator: &generator)
                        item.acknowledgedAt = row.acknowledgedAt
                        item.resolvedAt = row.resolvedAt
                        try body(item, "\(name):\(row.line)")
                    }
                } else if path.hasSuffix(".jsonl") {
                    for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
                    where !line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) {
                        let place = "\(name):\(index + 1)"
                        for draft in try decode(Array(line), kind: .generic, place: place) {
                            try body(entry(draft, inputID: place, generator: &generator), place)
                        }
                    }
                } else {
                    let kind: SourceKind
                    if let source {
                        kind = source
                    } else {
                        guard let value = try? JSONValue.parse(bytes), let detected = PayloadDetection.kind(of: value) else {
                            throw Failure("\(path): cannot tell which kind of webhook this is; give --source KIND")
                        }
                        kind = detected
                    }
                    for (index, draft) in try decode(bytes, kind: kind, place: name).enumerated() {
                        try body(entry(draft, inputID: "\(name)#\(index + 1)", generator: &generator), name)
                    }
                }
            } catch let error as TableError {
                throw Failure(error.message)
            }
        }
    }

    func decode(_ bytes: [UInt8], kind: SourceKind, place: String) throws -> [IncidentDraft] {
        do {
            return try kind.drafts(from: bytes, source: kind.rawValue, now: now)
        } catch {
            throw Failure("\(place): \(kind.rawValue) payload: \(error.path): \(error.message)")
        }
    }

    func entry(_ draft: IncidentDraft, inputID: String, label: String? = nil, generator: inout SplitMix64) -> DryRun.Entry {
        var draft = draft
        if draft.occurredAt == nil { draft.occurredAt = now }
        let at = draft.occurredAt ?? now
        let incident = Incident(id: IncidentID(now: at, using: &generator), draft: draft, receivedAt: at, rawPayloadID: 0)
        return DryRun.Entry(incident: incident, inputID: inputID, label: label)
    }
}
