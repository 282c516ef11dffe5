import Foundation
import TriageCore

/// Incidents whose next SLA deadline falls within a window, with the business time they have left.
public struct SLARiskReport: Sendable {
    let store: any SLAClockStore
    let zones: @Sendable (String) -> ZoneRules?

    public init(store: any SLAClockStore, zones: @escaping @Sendable (String) -> ZoneRules?) {
        self.store = store
        self.zones = zones
    }

    /// One running target due before `now + within` (already breached ones included).
    public struct Entry: Sendable, Codable, Equatable {
        public var incident: String
        public var title: String
        public var vendor: String
        public var priority: String
        public var target: String
        public var deadline: Date
        /// Business time left on the target's calendar; negative once breached.
        public var businessSecondsLeft: Int
        /// `1h20m`, or `-15m` when breached.
        public var left: String
        public var breached: Bool
        /// `4h of business hours on 'paris-office' (Europe/Paris) under contract 'acme-dba'`.
        public var terms: String

        enum CodingKeys: String, CodingKey {
            case incident, title, vendor, priority, target, deadline, left, breached, terms
            case businessSecondsLeft = "business_seconds_left"
        }
    }

    public func atRisk(within: Duration, now: Date, limit: Int = 500) async throws -> [Entry] {
        let horizon = now.addingTimeInterval(within.timeInterval)
        var entries: [Entry] = []
        for record in try await store.clocksDue(before: horizon, limit: limit) {
            let terms = record.snapshot
            let calendar = SLASchedule.calendar(for: terms, zone: terms.calendar.flatMap { zones($0.zone) }) ?? .twentyFourSeven()
            for target in SLATimer.Kind.allCases {
                guard let deadline = target == .acknowledge ? record.acknowledgeBy : record.resolveBy, deadline < horizon else {
                    continue
                }
                let status = SLASchedule.status(target, snapshot: terms, state: record.state, calendar: calendar, now: now)
                let seconds = Int(status.remaining.components.seconds)
                entries.append(Entry(
                    incident: record.incidentID.rawValue, title: record.title, vendor: terms.vendor,
                    priority: terms.priority.rawValue, target: target.rawValue, deadline: deadline,
                    businessSecondsLeft: seconds, left: DurationText.format(.seconds(seconds)), breached: deadline <= now,
                    terms: "\(terms.describe(target)) under \(terms.source)"))
            }
        }
        return entries.sorted { ($0.deadline, $0.incident) < ($1.deadline, $1.incident) }
    }
}
