import Foundation
import Testing

@testable import TriageCore

/// The README's worked example and the ladder's instants, on real zone files.
@Suite(.enabled(if: ZoneFiles.available("Asia/Kolkata", "Europe/Paris"), "needs Asia/Kolkata and Europe/Paris in /usr/share/zoneinfo"))
struct SLAScheduleTests {
    static let ladder = EscalationLadder(name: "standard", steps: [
        EscalationStep(trigger: .percent(50), actions: [.notify("vendor")]),
        EscalationStep(trigger: .percent(75), actions: [.notify("duty-manager")]),
        EscalationStep(trigger: .percent(90), actions: [.raisePriority(1)]),
        EscalationStep(trigger: .percent(100), actions: [.reassignToBackup]),
        EscalationStep(target: .acknowledge, trigger: .remaining(.seconds(300)), actions: [.notify("vendor")]),
    ])

    /// Bangalore: Monday to Saturday 07:00–23:00 IST; P2 acknowledge 2 h, resolve 1 d (24 business hours).
    func bangalore() throws -> Vendor {
        let hours = try #require(ClockRange(start: 7 * 60, end: 23 * 60))
        let calendar = BusinessCalendar(
            name: "bangalore-office", zone: try ZoneFiles.rules("Asia/Kolkata"),
            weekly: Dictionary(uniqueKeysWithValues: [Weekday.monday, .tuesday, .wednesday, .thursday, .friday, .saturday].map { ($0, [hours]) }))
        var contract = Contract(targets: [.p2: SLATarget(acknowledge: .seconds(7200), resolve: .seconds(86_400))])
        contract.escalation = Self.ladder
        var vendor = Vendor(name: "initech-apps", endpoint: "http://x", contract: contract)
        vendor.calendar = calendar
        return vendor
    }

    @Test func aP2OpenedFridayEveningInParisForAVendorInBangalore() throws {
        // Friday 2026-11-27 17:40 in Paris (CET) = 16:40Z = 22:10 in Bangalore: 50 minutes of office left.
        let opened = ZoneFiles.at("2026-11-27T16:40:00Z")
        let plan = try #require(SLAPlan.make(priority: .p2, vendor: try bangalore(), now: opened))
        // Acknowledge (2 h): 50 min on Friday, 70 min from Saturday 07:00 → Saturday 08:10 IST.
        #expect(plan.acknowledgeBy == ZoneFiles.at("2026-11-28T02:40:00Z"))
        // Resolve (24 h): 50 min Friday + 16 h Saturday; Sunday closed; 7 h 10 min from Monday 07:00 → 14:10 IST.
        #expect(plan.resolveBy == ZoneFiles.at("2026-11-30T08:40:00Z"))
        let due = Dictionary(uniqueKeysWithValues: plan.plannedTimers.map { ($0.key, $0.dueAt) })
        #expect(due["acknowledge/4/0"] == ZoneFiles.at("2026-11-28T02:35:00Z"))  // 5 min left: Saturday 08:05 IST
        #expect(due["resolve/0/0"] == ZoneFiles.at("2026-11-28T12:40:00Z"))  // 50 %: Saturday 18:10 IST
        #expect(due["resolve/1/0"] == ZoneFiles.at("2026-11-30T02:40:00Z"))  // 75 %: Monday 08:10 IST
        #expect(due["resolve/2/0"] == ZoneFiles.at("2026-11-30T06:16:00Z"))  // 90 %: Monday 11:46 IST
        #expect(due["resolve/3/0"] == plan.resolveBy)  // 100 %
        #expect(due["resolve/-1/0"] == plan.resolveBy)
        #expect(plan.plannedTimers.map(\.dueAt) == plan.plannedTimers.map(\.dueAt).sorted())
    }

    @Test func statusSaysHowMuchIsUsedAndLeftWithPauses() throws {
        let vendor = try bangalore()
        let opened = ZoneFiles.at("2026-11-27T16:40:00Z")
        let terms = try #require(SLAPlan.snapshot(priority: .p2, vendor: vendor, policy: nil))
        let calendar = try #require(vendor.calendar)
        // Saturday 09:00 IST, after a 1 h pause from 07:30 to 08:30 IST.
        let state = SLAClockState(
            startedAt: opened, pauses: [ZoneFiles.at("2026-11-28T02:00:00Z")..<ZoneFiles.at("2026-11-28T03:00:00Z")])
        let status = SLASchedule.status(.resolve, snapshot: terms, state: state, calendar: calendar, now: ZoneFiles.at("2026-11-28T03:30:00Z"))
        #expect(status.used == .seconds(50 * 60 + 60 * 60))  // Friday 50 min + Saturday 07:00–09:00 minus the hour paused
        #expect(status.remaining == .seconds(86_400 - 110 * 60))
        #expect(status.deadline == ZoneFiles.at("2026-11-30T09:40:00Z"))  // one hour later than without the pause
        var paused = state
        paused.pausedSince = ZoneFiles.at("2026-11-28T03:30:00Z")
        #expect(SLASchedule.timers(snapshot: terms, state: paused, calendar: calendar).isEmpty)
        #expect(SLASchedule.deadline(.resolve, snapshot: terms, state: paused, calendar: calendar) == nil)
    }

    @Test func repetitionsFollowTheWallClockUpToTheLimit() {
        let step = EscalationStep(trigger: .percent(100), actions: [.addTag("late")], repeatEvery: .seconds(1800), repeatLimit: 2)
        let terms = SLASnapshot(source: "t", vendor: "v", priority: .p1, acknowledge: .seconds(60), resolve: .seconds(3600), steps: [step])
        let first = PlannedTimer(target: .resolve, step: 0, dueAt: Date(timeIntervalSince1970: 0))
        let second = SLASchedule.repetition(after: first, snapshot: terms)
        #expect(second == PlannedTimer(target: .resolve, step: 0, occurrence: 1, dueAt: Date(timeIntervalSince1970: 1800)))
        let third = second.flatMap { SLASchedule.repetition(after: $0, snapshot: terms) }
        #expect(third?.occurrence == 2)
        #expect(third.flatMap { SLASchedule.repetition(after: $0, snapshot: terms) } == nil)
        #expect(SLASchedule.repetition(after: PlannedTimer(target: .resolve, step: -1, dueAt: .distantPast), snapshot: terms) == nil)
        // Planned again after a pause: the step fired twice already, so its third repetition is next.
        let state = SLAClockState(startedAt: Date(timeIntervalSince1970: -3600))
        let replanned = SLASchedule.timers(
            snapshot: terms, state: state, calendar: .twentyFourSeven(), fired: ["resolve/0/0", "resolve/0/1", "acknowledge/-1/0"])
        #expect(replanned.map(\.key) == ["resolve/-1/0", "resolve/0/2"])
        #expect(replanned.last?.dueAt == Date(timeIntervalSince1970: 3600))
    }

    @Test func aSnapshotSurvivesJSONAndRebuildsItsCalendar() throws {
        let terms = try #require(SLAPlan.snapshot(priority: .p2, vendor: try bangalore(), policy: nil))
        let decoded = try JSONDecoder().decode(SLASnapshot.self, from: JSONEncoder().encode(terms))
        #expect(decoded == terms)
        let rebuilt = try #require(decoded.calendar).calendar(zone: try ZoneFiles.rules("Asia/Kolkata"))
        #expect(rebuilt == (try bangalore()).calendar)
        #expect(terms.describe(.resolve) == "1d of business hours on 'bangalore-office' (Asia/Kolkata)")
    }
}
