import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: LifecycleStore {
    public func apply(_ request: LifecycleRequest) async throws -> LifecycleOutcome {
        try await pool.write { db in try Self.apply(db, request) }
    }

    /// Applies `request` inside the caller's transaction.
    static func apply(_ db: Database, _ request: LifecycleRequest) throws -> LifecycleOutcome {
        let key = request.incidentID.rawValue
        let ms = request.at.millis
        do {
            if let eventID = request.eventID,
                let previous = try String.fetchOne(
                    db, sql: "SELECT outcome FROM callbackEvent WHERE sender = ? AND eventId = ?",
                    arguments: [request.sender, eventID])
            {
                return .duplicate(previous)
            }
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(phase, CASE status WHEN 'open' THEN 'new' ELSE status END) AS phase, pausedFrom
                    FROM incident WHERE id = ?
                    """, arguments: [key]),
                let phase = IncidentPhase(rawValue: row["phase"])
            else { return .unknownIncident }
            let pausedFrom = (row["pausedFrom"] as String?).flatMap(IncidentPhase.init(rawValue:))
            let by = "by \(request.actor) (\(request.sender))" + (request.comment.map { ": \($0)" } ?? "")
            let outcome: LifecycleOutcome
            switch IncidentStateMachine.next(phase, on: request.action, pausedFrom: pausedFrom) {
            case .failure(let error):
                try Self.event(db, key, ms, "illegal-transition", "\(error) \(by)")
                outcome = .refused(error)
            case .success(let next):
                try Self.effects(db, key: key, request: request, from: phase, to: next)
                try db.execute(
                    sql: "UPDATE incident SET phase = ?, pausedFrom = ?, updatedAt = ? WHERE id = ?",
                    arguments: [next.rawValue, next == .paused ? (phase == .paused ? pausedFrom : phase)?.rawValue : nil, ms, key])
                try Self.event(db, key, ms, request.action.rawValue, "\(phase.rawValue) → \(next.rawValue) \(by)")
                outcome = .applied(from: phase, to: next)
            }
            if let eventID = request.eventID {
                try db.execute(
                    sql: """
                        INSERT INTO callbackEvent (sender, eventId, incidentId, action, receivedAt, outcome)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [request.sender, eventID, key, request.action.rawValue, ms, outcome.summary])
            }
            return outcome
        }
    }

    /// What an applied action changes besides the phase: status columns, SLA clocks, load counters.
    static func effects(_ db: Database, key: String, request: LifecycleRequest, from: IncidentPhase, to: IncidentPhase) throws {
        let ms = request.at.millis
        switch request.action {
        case .acknowledge where from != .acknowledged:
            try db.execute(
                sql: """
                    UPDATE incident SET status = 'acknowledged', acknowledgedAt = COALESCE(acknowledgedAt, ?)
                    WHERE id = ? AND status != 'resolved'
                    """, arguments: [ms, key])
            try SLAClockRows.acknowledged(db, incidentID: key, at: request.at)
        case .resolve where from != .resolved:
            try countRelease(db, incidentID: key, at: request.at, resolved: true)
            try db.execute(sql: "UPDATE incident SET status = 'resolved', resolvedAt = ? WHERE id = ?", arguments: [ms, key])
            try SLAClockRows.resolved(db, incidentID: key, at: request.at)
        case .reopen:
            try db.execute(
                sql: "UPDATE incident SET status = 'assigned', resolvedAt = NULL, reopenCount = reopenCount + 1 WHERE id = ?",
                arguments: [key])
            _ = try SLAClockRows.reopened(db, incidentID: key, at: request.at)
            try countReopen(db, incidentID: key)
        case .pause where from != .paused:
            _ = try SLAClockRows.pause(db, incidentID: key, at: request.at, by: "vendor")
        case .resume:
            _ = try SLAClockRows.resume(db, incidentID: key, at: request.at)
        default:
            break  // comment, reassign-request, close, repeats: the event says it
        }
    }
}
