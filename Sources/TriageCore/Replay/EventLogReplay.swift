import FoundationEssentials

/// One row of a ServiceNow incident audit log (the UCI "incident management process enriched
/// event log"): an incident's fields as they stood after one update.
public struct ServiceNowEvent: Sendable, Equatable {
    public var number: String
    public var state: LogState
    public var reassignmentCount: Int
    public var modCount: Int
    /// `made_sla` on this row; `nil` unless `true` or `false`.
    public var madeSLA: Bool?
    public var openedAt: Date
    public var updatedAt: Date
    /// `1 - Critical` … `5 - …` as P1 … P5; `nil` for anything else.
    public var priority: Priority?
    /// Whether `assignment_group` is set (not `?` or empty).
    public var hasGroup: Bool
    /// The 1-based line of the file.
    public var line: Int
}

/// The log's `incident_state`, as far as the lifecycle cares.
public enum LogState: Sendable, Equatable {
    /// `New`, `Active`, `Resolved`, `Closed`; `awaiting`: any `Awaiting …` (User Info, Problem,
    /// Vendor, Evidence); `other`: anything else (`-100`).
    case new, active, awaiting, resolved, closed, other

    public init(_ text: String) {
        switch text {
        case "New": self = .new
        case "Active": self = .active
        case "Resolved": self = .resolved
        case "Closed": self = .closed
        default: self = text.hasPrefix("Awaiting") ? .awaiting : .other
        }
    }
}

/// Reads the log: comma-separated with a header row, dates `d/m/Y H:M` (seconds optional) read as
/// UTC, `?` for missing. The real file has no quotes, so a byte scanner splits lines on commas; a
/// file with any `"` is read with the RFC 4180 reader of ``LabelledTable`` instead (slower).
public enum ServiceNowEventLog {
    public static let requiredColumns = [
        "number", "incident_state", "reassignment_count", "sys_mod_count", "made_sla", "opened_at",
        "sys_updated_at", "priority", "assignment_group",
    ]

    public static func parse(_ bytes: [UInt8]) throws(TableError) -> [ServiceNowEvent] {
        guard bytes.contains(UInt8(ascii: "\"")) else {
            return try bytes.withUnsafeBufferPointer { b in Result { () throws(TableError) in try scan(b) } }.get()
        }
        let table = try LabelledTable.parseCSV(bytes)
        let slots = try slotsOf(table.header)
        var events: [ServiceNowEvent] = []
        for (index, row) in table.rows.enumerated() {
            var joined: [UInt8] = []
            var ranges: [Range<Int>] = []
            for slot in slots {
                let start = joined.count
                joined.append(contentsOf: row[slot].utf8)
                ranges.append(start..<joined.count)
            }
            events.append(try joined.withUnsafeBufferPointer { b in
                Result { () throws(TableError) in try event(b, ranges, line: index + 2) }
            }.get())
        }
        return events
    }

    /// The fast path: one pass over the bytes, lines split at LF (CRLF allowed, blank lines
    /// skipped), fields at every comma.
    static func scan(_ b: UnsafeBufferPointer<UInt8>) throws(TableError) -> [ServiceNowEvent] {
        guard let p = b.baseAddress, !b.isEmpty else { throw TableError(line: 1, "no header row") }
        var i = LabelledTable.bomLength(Array(b.prefix(3)))
        var line = 0
        var columns = -1
        var slotOfColumn: [Int] = []
        var ranges = [Range<Int>](repeating: 0..<0, count: requiredColumns.count)
        var events: [ServiceNowEvent] = []
        events.reserveCapacity(b.count / 300)
        while i < b.count {
            line += 1
            let start = i
            var column = 0
            var fieldStart = i
            while i < b.count, p[i] != 0x0A {
                if p[i] == 0x2C {
                    if column < slotOfColumn.count, slotOfColumn[column] >= 0 { ranges[slotOfColumn[column]] = fieldStart..<i }
                    column += 1
                    fieldStart = i + 1
                }
                i += 1
            }
            var end = i
            i += 1
            if end > start, p[end - 1] == 0x0D { end -= 1 }
            guard end > start else { continue }
            if column < slotOfColumn.count, slotOfColumn[column] >= 0 { ranges[slotOfColumn[column]] = fieldStart..<max(fieldStart, end) }
            column += 1
            if columns < 0 {
                let header = UnsafeBufferPointer(rebasing: b[start..<end])
                    .split(separator: 0x2C, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
                columns = header.count
                slotOfColumn = [Int](repeating: -1, count: columns)
                for (slot, column) in try slotsOf(header).enumerated() { slotOfColumn[column] = slot }
                continue
            }
            guard column == columns else { throw TableError(line: line, "\(column) fields but the header has \(columns)") }
            events.append(try event(b, ranges, line: line))
        }
        guard columns >= 0 else { throw TableError(line: 1, "no header row") }
        return events
    }

    /// Column offsets of ``requiredColumns``, or an error naming every missing one.
    static func slotsOf(_ header: [String]) throws(TableError) -> [Int] {
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw TableError(
                line: 1,
                "missing column(s) \(missing.joined(separator: ", ")) (a ServiceNow incident event log needs "
                    + requiredColumns.joined(separator: ", ") + ")")
        }
        return requiredColumns.map { name in header.firstIndex(of: name) ?? 0 }
    }

    /// The event of one row, given the byte ranges of ``requiredColumns`` in order.
    static func event(_ b: UnsafeBufferPointer<UInt8>, _ r: [Range<Int>], line: Int) throws(TableError) -> ServiceNowEvent {
        func text(_ slot: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r[slot]]), as: UTF8.self) }
        func int(_ slot: Int) throws(TableError) -> Int {
            var value = 0
            for byte in b[r[slot]] {
                guard byte >= 48, byte <= 57, value < 100_000_000 else {
                    throw TableError(line: line, "\(requiredColumns[slot]) '\(text(slot))' is not a whole number")
                }
                value = value * 10 + Int(byte - 48)
            }
            guard !r[slot].isEmpty else { throw TableError(line: line, "\(requiredColumns[slot]) is empty") }
            return value
        }
        func date(_ slot: Int) throws(TableError) -> Date {
            guard let date = parseDate(b[r[slot]]) else {
                throw TableError(line: line, "\(requiredColumns[slot]) '\(text(slot))' is not a date d/m/Y H:M")
            }
            return date
        }
        let made = text(4)
        let priority = b[r[7]].first.flatMap { $0 >= 49 && $0 <= 53 ? Priority(rawValue: "P\($0 - 48)") : nil }
        let group = b[r[8]]
        return ServiceNowEvent(
            number: text(0), state: LogState(text(1)), reassignmentCount: try int(2), modCount: try int(3),
            madeSLA: made == "true" ? true : made == "false" ? false : nil, openedAt: try date(5),
            updatedAt: try date(6), priority: priority, hasGroup: !(group.isEmpty || group.elementsEqual([63])),
            line: line)
    }

    /// `29/2/2016 01:16` (or `…:SS`) as UTC; `nil` unless a real date and time.
    static func parseDate(_ bytes: some Sequence<UInt8>) -> Date? {
        var parts = [0, 0, 0, 0, 0, 0]
        var part = 0
        var digits = 0
        let separators: [UInt8] = [47, 47, 32, 58, 58]  // / / space : :
        for byte in bytes {
            if byte >= 48, byte <= 57, digits < 4 {
                parts[part] = parts[part] * 10 + Int(byte - 48)
                digits += 1
            } else if part < separators.count, byte == separators[part], digits > 0 {
                part += 1
                digits = 0
            } else {
                return nil
            }
        }
        let (day, month, year, hour, minute, second) = (parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
        guard digits > 0, part == 4 || part == 5, (1...12).contains(month), year >= 1900,
            (1...CivilDays.daysInMonth(year: year, month: month)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilDays.days(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }
}

/// One incident replayed through ``IncidentStateMachine``: what the SLA clocks need.
public struct ReplayedIncident: Sendable, Equatable {
    public var number: String
    public var events: Int
    public var openedAt: Date
    /// When the lifecycle first reached `resolved`.
    public var firstResolvedAt: Date?
    /// The first `Closed` row (whether or not our lifecycle allowed the close).
    public var firstClosedAt: Date?
    /// Spans the lifecycle spent `paused` (an unfinished one ends at the last row).
    public var pauses: [Range<Date>]
    /// The priority on the row that stopped the clock (the first resolve, else the last row).
    public var priority: Priority?
    /// `made_sla` of the last row (true on every row until the closing one; see ``EventLogReplay``).
    public var madeSLA: Bool?
    public var phase: IncidentPhase
    public var applied: [LifecycleAction]
    public var illegal: [IllegalTransition]

    /// The instant the resolve clock stops: the first resolve, else the first close.
    public var stoppedAt: Date? { firstResolvedAt ?? firstClosedAt }
}

extension EventLogReplay {
    /// The next action that takes the lifecycle from `phase` toward the log's `state`; `nil` once
    /// there (or when the state asks for nothing). See ``EventLogReplay`` for the table.
    public static func step(toward state: LogState, from phase: IncidentPhase) -> LifecycleAction? {
        switch (state, phase) {
        case (.active, .new), (.active, .triaged), (.active, .assigned): .acknowledge
        case (.active, .paused): .resume
        case (.active, .resolved), (.active, .closed), (.awaiting, .resolved), (.awaiting, .closed): .reopen
        case (.awaiting, .new): .triage
        case (.awaiting, .triaged): .assign
        case (.awaiting, .assigned), (.awaiting, .acknowledged): .pause
        case (.resolved, let phase) where phase != .resolved: .resolve
        case (.closed, let phase) where phase != .closed: .close
        default: nil
        }
    }

    /// Replays one incident's rows, already in order (``order(_:)``).
    public static func replay(_ rows: [ServiceNowEvent]) -> ReplayedIncident {
        let first = rows.first
        var incident = ReplayedIncident(
            number: first?.number ?? "", events: rows.count, openedAt: first?.openedAt ?? Date(timeIntervalSince1970: 0),
            pauses: [], priority: rows.last?.priority, madeSLA: rows.last?.madeSLA, phase: .new, applied: [],
            illegal: [])
        var pausedFrom: IncidentPhase?
        var pausedSince: Date?
        var reassignments = first?.reassignmentCount ?? 0
        for row in rows {
            @discardableResult func apply(_ action: LifecycleAction) -> Bool {
                switch IncidentStateMachine.next(incident.phase, on: action, pausedFrom: pausedFrom) {
                case .failure(let error):
                    incident.illegal.append(error)
                    return false
                case .success(let next):
                    if next == .paused, incident.phase != .paused {
                        pausedFrom = incident.phase
                        pausedSince = row.updatedAt
                    } else if incident.phase == .paused, next != .paused, let since = pausedSince {
                        incident.pauses.append(since..<max(since, row.updatedAt))
                        pausedFrom = nil
                        pausedSince = nil
                    }
                    if next == .resolved, incident.firstResolvedAt == nil {
                        incident.firstResolvedAt = row.updatedAt
                        incident.priority = row.priority
                    }
                    incident.phase = next
                    incident.applied.append(action)
                    return true
                }
            }
            if incident.phase == .new { apply(.triage) }
            if incident.phase == .triaged, row.hasGroup { apply(.assign) }
            if row.reassignmentCount > reassignments { apply(incident.phase == .triaged ? .assign : .reassign) }
            reassignments = max(reassignments, row.reassignmentCount)
            var steps = 0
            while steps < 4, let action = step(toward: row.state, from: incident.phase), apply(action) { steps += 1 }
            if row.state == .other { apply(.comment) }
            if row.state == .closed, incident.firstClosedAt == nil { incident.firstClosedAt = row.updatedAt }
        }
        if let since = pausedSince, let last = rows.last {
            incident.pauses.append(since..<max(since, last.updatedAt))
        }
        return incident
    }

    /// Rows grouped by incident (incidents in order of first appearance), each incident's rows
    /// ordered by `sys_mod_count`, then `sys_updated_at`, then line.
    public static func order(_ events: [ServiceNowEvent]) -> [[ServiceNowEvent]] {
        var slot: [String: Int] = [:]
        var groups: [[ServiceNowEvent]] = []
        for event in events {
            if let index = slot[event.number] {
                groups[index].append(event)
            } else {
                slot[event.number] = groups.count
                groups.append([event])
            }
        }
        for index in groups.indices {
            groups[index].sort { ($0.modCount, $0.updatedAt, $0.line) < ($1.modCount, $1.updatedAt, $1.line) }
        }
        return groups
    }
}
