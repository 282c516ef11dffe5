import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: LifecycleStore {
    /// Applies one action through the state machine, in one transaction, at most once per
    /// (sender, event id).
    public func apply(_ request: LifecycleRequest) async throws -> LifecycleOutcome {
        try await transaction { c in try await Self.apply(c, request, logger: logger) }
    }

    /// Applies `request` inside the caller's transaction.
    ///
    /// The incident row is locked first (`SELECT … FOR UPDATE`), so concurrent actions on one
    /// incident go through the state machine one after the other. The (sender, event id) is
    /// claimed by inserting its `callbackEvent` row before anything changes (`ON CONFLICT DO
    /// NOTHING`, which waits for a concurrent insert of the same key to commit or roll back): of two
    /// instances applying the same event, one applies it and the other answers `duplicate`.
    static func apply(_ c: PostgresConnection, _ request: LifecycleRequest, logger: Logger) async throws -> LifecycleOutcome {
        let key = request.incidentID.rawValue
        let ms = request.at.millis
        let row = try await c.row(
            """
            SELECT COALESCE(phase, CASE status WHEN 'open' THEN 'new' ELSE status END) AS phase, pausedFrom
            FROM incident WHERE id = \(key) FOR UPDATE
            """, logger: logger)
        if let eventID = request.eventID {
            let claimed = row == nil ? 0 : try await c.run(
                """
                INSERT INTO callbackEvent (sender, eventId, incidentId, action, receivedAt, outcome)
                VALUES (\(request.sender), \(eventID), \(key), \(request.action.rawValue), \(ms), '')
                ON CONFLICT (sender, eventId) DO NOTHING RETURNING 1
                """, logger: logger)
            if claimed == 0,
                let previous = try await c.row(
                    "SELECT outcome FROM callbackEvent WHERE sender = \(request.sender) AND eventId = \(eventID)", logger: logger)
            {
                return .duplicate(try previous.get("outcome", as: String.self))
            }
        }
        guard let row, let phase = IncidentPhase(rawValue: try row.get("phase", as: String.self)) else {
            if let eventID = request.eventID, row != nil {
                // Claimed above, but nothing is applied: no record, as for an unknown incident.
                try await c.query(
                    "DELETE FROM callbackEvent WHERE sender = \(request.sender) AND eventId = \(eventID)", logger: logger)
            }
            return .unknownIncident
        }
        let pausedFrom = try row.get("pausedfrom", as: String?.self).flatMap(IncidentPhase.init(rawValue:))
        let by = "by \(request.actor) (\(request.sender))" + (request.comment.map { ": \($0)" } ?? "")
        let outcome: LifecycleOutcome
        switch IncidentStateMachine.next(phase, on: request.action, pausedFrom: pausedFrom) {
        case .failure(let error):
            try await PGRows.event(c, key, ms, "illegal-transition", "\(error) \(by)", logger: logger)
            outcome = .refused(error)
        case .success(let next):
            try await effects(c, key: key, request: request, from: phase, to: next, logger: logger)
            let paused = next == .paused ? (phase == .paused ? pausedFrom : phase)?.rawValue : nil
            try await c.query(
                "UPDATE incident SET phase = \(next.rawValue), pausedFrom = \(paused), updatedAt = \(ms) WHERE id = \(key)",
                logger: logger)
            try await PGRows.event(
                c, key, ms, request.action.rawValue, "\(phase.rawValue) → \(next.rawValue) \(by)", logger: logger)
            outcome = .applied(from: phase, to: next)
        }
        if let eventID = request.eventID {
            try await c.query(
                "UPDATE callbackEvent SET outcome = \(outcome.summary) WHERE sender = \(request.sender) AND eventId = \(eventID)",
                logger: logger)
        }
        return outcome
    }

    /// What an applied action changes besides the phase: status columns, SLA clocks, load counters.
    static func effects(
        _ c: PostgresConnection, key: String, request: LifecycleRequest, from: IncidentPhase, to: IncidentPhase, logger: Logger
    ) async throws {
        let ms = request.at.millis
        switch request.action {
        case .acknowledge where from != .acknowledged:
            try await c.query(
                """
                UPDATE incident SET status = 'acknowledged', acknowledgedAt = COALESCE(acknowledgedAt, \(ms))
                WHERE id = \(key) AND status <> 'resolved'
                """, logger: logger)
            try await PGClockRows.acknowledged(c, incidentID: key, at: request.at, logger: logger)
        case .resolve where from != .resolved:
            try await PGVendorCounts.countRelease(c, incidentID: key, at: request.at, resolved: true, logger: logger)
            try await c.query(
                "UPDATE incident SET status = 'resolved', resolvedAt = \(ms) WHERE id = \(key)", logger: logger)
            try await PGClockRows.resolved(c, incidentID: key, at: request.at, logger: logger)
        case .reopen:
            try await c.query(
                """
                UPDATE incident SET status = 'assigned', resolvedAt = NULL, reopenCount = reopenCount + 1 WHERE id = \(key)
                """, logger: logger)
            _ = try await PGClockRows.reopened(c, incidentID: key, at: request.at, logger: logger)
            try await PGVendorCounts.countReopen(c, incidentID: key, logger: logger)
        case .pause where from != .paused:
            _ = try await PGClockRows.pause(c, incidentID: key, at: request.at, by: "vendor", logger: logger)
        case .resume:
            _ = try await PGClockRows.resume(c, incidentID: key, at: request.at, logger: logger)
        default:
            break  // comment, reassign-request, close, repeats: the event says it
        }
    }
}
