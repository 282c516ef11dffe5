import FoundationEssentials

/// Declared SLA terms to judge a replayed log by: resolve targets per priority, the calendar they
/// run on and whether `Awaiting …` (our `paused`) stops the clock. The log's real policy is unknown.
///
/// How the built-in ones were chosen: the targets are a widely published ITSM baseline (P1 4 h,
/// P2 8 h, P3 3 business days, P4 5 business days; P5 as P4), which also pauses the resolution
/// clock while waiting on the user or a vendor, hence a variant with and without pauses. The
/// business calendar is Monday–Friday 08:00–18:00 because the log's updates cluster there (85% of
/// updates fall between 08:00 and 18:00, 91% on weekdays, 78% in both); its times carry no zone and are
/// read as UTC wall time. A day is 24 h around the clock (3 days = 72 h) and 10 h on the calendar
/// (3 days = 30 h). The resolve-time distributions of `made_sla` true/false per priority were
/// looked at, and not used to set targets: P1 and P2 are flagged breached in 98–99.5% of incidents
/// however fast they were resolved, and the P3/P4 boundaries (≈ 91 h and ≈ 330 h around the clock)
/// match no round target. The single best thresholds are reported by the replay as FITTED
/// diagnostics (``EventLogReplay/fit(_:clocks:)``), never as a policy.
public struct ReplayPolicy: Sendable, Equatable {
    public var name: String
    public var resolve: [Priority: Duration]
    public var calendar: BusinessCalendar
    public var pausesOnAwaiting: Bool

    public init(name: String, resolve: [Priority: Duration], calendar: BusinessCalendar, pausesOnAwaiting: Bool) {
        self.name = name
        self.resolve = resolve
        self.calendar = calendar
        self.pausesOnAwaiting = pausesOnAwaiting
    }

    /// `P1 4h, P2 8h, P3 72h, P4 120h, P5 120h around the clock, Awaiting pauses` (whole hours).
    public var summary: String {
        let targets = Priority.allCases.compactMap { p in resolve[p].map { d in
            "\(p.rawValue) " + (d == .seconds(d.components.seconds / 3600 * 3600) ? "\(d.components.seconds / 3600)h" : DurationText.format(d))
        } }
        let clock = calendar.alwaysOpen ? "around the clock" : "of business hours \(calendar.name)"
        return targets.joined(separator: ", ") + " " + clock + (pausesOnAwaiting ? ", Awaiting pauses" : ", no pauses")
    }

    /// Monday–Friday 08:00–18:00 UTC.
    public static let officeHours = BusinessCalendar(
        name: "mon-fri-08-18-utc", zone: .utc,
        weekly: Dictionary(uniqueKeysWithValues: (1...5).compactMap { Weekday(rawValue: $0) }.map { ($0, [ClockRange(start: 480, end: 1080)!]) }))

    public static let builtIn: [ReplayPolicy] = {
        let h: (Int64) -> Duration = { .seconds($0 * 3600) }
        let day24 = [Priority.p1: h(4), .p2: h(8), .p3: h(72), .p4: h(120), .p5: h(120)]
        let day10 = [Priority.p1: h(4), .p2: h(8), .p3: h(30), .p4: h(50), .p5: h(50)]
        return [
            ReplayPolicy(name: "itil-24x7", resolve: day24, calendar: .twentyFourSeven(), pausesOnAwaiting: false),
            ReplayPolicy(name: "itil-24x7-paused", resolve: day24, calendar: .twentyFourSeven(), pausesOnAwaiting: true),
            ReplayPolicy(name: "itil-business", resolve: day10, calendar: officeHours, pausesOnAwaiting: false),
            ReplayPolicy(name: "itil-business-paused", resolve: day10, calendar: officeHours, pausesOnAwaiting: true),
        ]
    }()

    public static func named(_ name: String) -> ReplayPolicy? { builtIn.first { $0.name == name } }
}

/// Our verdict against the log's `made_sla`, counted: the 2×2 confusion and the agreement.
public struct SLAAgreement: Sendable, Equatable, Encodable {
    public var label: String
    /// We say met / the log says true, and so on.
    public var metTrue = 0, metFalse = 0, breachedTrue = 0, breachedFalse = 0

    public init(_ label: String) { self.label = label }

    public var incidents: Int { metTrue + metFalse + breachedTrue + breachedFalse }
    public var agreement: Double { incidents == 0 ? 0 : Double(metTrue + breachedFalse) / Double(incidents) }

    mutating func add(met: Bool, made: Bool) {
        switch (met, made) {
        case (true, true): metTrue += 1
        case (true, false): metFalse += 1
        case (false, true): breachedTrue += 1
        case (false, false): breachedFalse += 1
        }
    }

    enum Keys: String, CodingKey {
        case label, incidents, met, breached, madeTrue = "made_sla_true", madeFalse = "made_sla_false", agreement
        case metTrue = "met_true", metFalse = "met_false", breachedTrue = "breached_true", breachedFalse = "breached_false"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(label, forKey: .label)
        try c.encode(agreement, forKey: .agreement)
        let counts: [(Keys, Int)] = [
            (.incidents, incidents), (.met, metTrue + metFalse), (.breached, breachedTrue + breachedFalse),
            (.madeTrue, metTrue + breachedTrue), (.madeFalse, metFalse + breachedFalse), (.metTrue, metTrue),
            (.metFalse, metFalse), (.breachedTrue, breachedTrue), (.breachedFalse, breachedFalse),
        ]
        for (key, value) in counts { try c.encode(value, forKey: key) }
    }
}

/// One policy's (or one fitted clock's) figures: per priority, then all together.
public struct ReplayVerdicts: Sendable, Equatable, Encodable {
    public var policy: String
    public var summary: String
    public var priorities: [SLAAgreement]
    public var all: SLAAgreement
    /// Incidents with no `made_sla`, priority, target or stop instant.
    public var unjudged: Int
    /// For a fitted clock: the per-priority thresholds in hours of its clock (`nil`: all breached).
    public var fittedHours: [String: Double?]?

    enum CodingKeys: String, CodingKey {
        case policy, summary, priorities, all, unjudged, fittedHours = "fitted_hours"
    }
}

/// What a replay found: counts, illegal transitions and the verdicts of each policy.
public struct EventLogReplayReport: Sendable, Equatable, Encodable {
    public var events: Int
    public var incidents: Int
    public var illegalTransitions: Int
    /// `"close from new"` → how often.
    public var illegalByKind: [String: Int]
    public var actions: [String: Int]
    public var policies: [ReplayVerdicts]
    /// Thresholds FITTED to `made_sla`: an upper bound on what a per-priority target could reach
    /// on each clock, not a result.
    public var fitted: [ReplayVerdicts]

    enum CodingKeys: String, CodingKey {
        case events, incidents, actions, policies, fitted
        case illegalTransitions = "illegal_transitions", illegalByKind = "illegal_by_kind"
    }

    /// The declared policy that agrees most with `made_sla` overall.
    public var best: ReplayVerdicts? { policies.max { $0.all.agreement < $1.all.agreement } }
}

/// Replays a ServiceNow incident event log through ``IncidentStateMachine`` and judges each
/// incident's resolve SLA under declared policies, against the log's `made_sla`.
///
/// Rows of an incident are taken in `sys_mod_count`, then `sys_updated_at` order. Each row:
/// 1. while `new`: `triage`; while `triaged` and the row has an assignment group: `assign`;
/// 2. `reassignment_count` above the highest seen so far: `reassign` (`assign` if still triaged);
/// 3. actions toward the row's state (``step(toward:from:)``): `Active` acknowledges (from
///    new/triaged/assigned), resumes a paused incident (then acknowledges one paused before it was
///    acknowledged) and reopens a resolved one (then acknowledges); `Awaiting …` pauses (assigning
///    first if needed, reopening a resolved one); `Resolved` resolves; `Closed` closes; `New` asks
///    nothing more; `-100` is a `comment`. An illegal action (closing an incident never resolved,
///    reopening a closed one, reassigning a resolved one) is recorded, the phase stays and the
///    row's remaining steps toward its state are dropped.
///
/// The resolve clock starts at `opened_at`, is paused while the lifecycle is `paused` (when the
/// policy says so) and stops at the first `resolved`; an incident never resolved stops at its
/// first `Closed` row. Met = stop ≤ deadline (``SLASchedule/deadline(_:snapshot:state:calendar:)``
/// with the pauses before the stop). The priority is the one on the stopping row.
///
/// `made_sla` is read from the incident's last row: in the real log it is `true` on every row
/// until the incident closes and turns `false` on the closing row for breached incidents (first
/// rows: all true but one), so earlier rows carry no verdict. The fitted diagnostics show it
/// follows the time from opening to closing (resolve + a 5-day auto-close) far better than the
/// time to resolve.
public enum EventLogReplay {
    public static func run(_ events: [ServiceNowEvent], policies: [ReplayPolicy]) -> EventLogReplayReport {
        let incidents = order(events).map(replay)
        var illegal: [String: Int] = [:]
        var actions: [String: Int] = [:]
        for incident in incidents {
            for error in incident.illegal { illegal["\(error.action.rawValue) from \(error.phase.rawValue)", default: 0] += 1 }
            for action in incident.applied { actions[action.rawValue, default: 0] += 1 }
        }
        var clocks: [FitClock] = []
        for policy in policies where !clocks.contains(where: { $0.calendar == policy.calendar && $0.pauses == policy.pausesOnAwaiting }) {
            clocks.append(FitClock(calendar: policy.calendar, pauses: policy.pausesOnAwaiting, toClose: false))
        }
        clocks.append(FitClock(calendar: .twentyFourSeven(), pauses: false, toClose: true))
        return EventLogReplayReport(
            events: events.count, incidents: incidents.count, illegalTransitions: illegal.values.reduce(0, +),
            illegalByKind: illegal, actions: actions, policies: policies.map { verdicts(incidents, policy: $0) },
            fitted: fit(incidents, clocks: clocks))
    }

    /// Whether `incident` met its resolve target under `policy`; `nil` when it cannot be judged.
    public static func met(_ incident: ReplayedIncident, policy: ReplayPolicy) -> Bool? {
        guard let priority = incident.priority, let budget = policy.resolve[priority], let stop = incident.stoppedAt
        else { return nil }
        let snapshot = SLASnapshot(
            source: "replay policy '\(policy.name)'", vendor: "", priority: priority, acknowledge: budget, resolve: budget,
            calendar: policy.calendar.alwaysOpen ? nil : CalendarSpec(policy.calendar))
        let state = SLAClockState(startedAt: incident.openedAt, pauses: policy.pausesOnAwaiting ? pauses(incident, until: stop) : [])
        guard let due = SLASchedule.deadline(.resolve, snapshot: snapshot, state: state, calendar: policy.calendar) else { return nil }
        return stop <= due
    }

    static func pauses(_ incident: ReplayedIncident, until stop: Date) -> [Range<Date>] {
        incident.pauses.compactMap { $0.lowerBound < stop ? $0.lowerBound..<min($0.upperBound, stop) : nil }
    }

    static func verdicts(_ incidents: [ReplayedIncident], policy: ReplayPolicy) -> ReplayVerdicts {
        var rows = Priority.allCases.map { SLAAgreement($0.rawValue) }
        var all = SLAAgreement("all")
        var unjudged = 0
        for incident in incidents {
            guard let made = incident.madeSLA, let priority = incident.priority, let met = met(incident, policy: policy)
            else { unjudged += 1; continue }
            rows[Priority.allCases.firstIndex(of: priority) ?? 0].add(met: met, made: made)
            all.add(met: met, made: made)
        }
        return ReplayVerdicts(
            policy: policy.name, summary: policy.summary, priorities: rows.filter { $0.incidents > 0 }, all: all,
            unjudged: unjudged, fittedHours: nil)
    }

    struct FitClock {
        var calendar: BusinessCalendar, pauses: Bool, toClose: Bool
        var name: String {
            "fitted: opened → \(toClose ? "first Closed row" : "first resolve"), \(calendar.alwaysOpen ? "24x7" : "Mon–Fri 08–18 UTC")\(pauses ? ", Awaiting pauses" : "")"
        }
    }

    /// For each clock and priority, the threshold on the clock's time that agrees most with
    /// `made_sla` — FITTED to the labels, so an upper bound for a single target per priority on
    /// that clock, not a result.
    static func fit(_ incidents: [ReplayedIncident], clocks: [FitClock]) -> [ReplayVerdicts] {
        clocks.map { clock in
            var samples: [Priority: [(used: Double, made: Bool)]] = [:]
            var unjudged = 0
            for incident in incidents {
                guard let made = incident.madeSLA, let priority = incident.priority,
                    let stop = clock.toClose ? incident.firstClosedAt : incident.stoppedAt
                else { unjudged += 1; continue }
                let used = clock.calendar.businessDuration(
                    from: incident.openedAt, to: stop, pausedDuring: clock.pauses ? pauses(incident, until: stop) : [])
                samples[priority, default: []].append((BusinessCalendar.seconds(used), made))
            }
            var rows: [SLAAgreement] = []
            var all = SLAAgreement("all")
            var hours: [String: Double?] = [:]
            for priority in Priority.allCases {
                guard let list = samples[priority]?.sorted(by: { $0.used < $1.used }) else { continue }
                // Threshold nil: all breached; else met when used <= threshold.
                var (bestCorrect, bestAt, correct) = (list.filter { !$0.made }.count, -1, list.filter { !$0.made }.count)
                for (i, sample) in list.enumerated() {
                    correct += sample.made ? 1 : -1
                    if i + 1 < list.count, list[i + 1].used == sample.used { continue }
                    if correct > bestCorrect { (bestCorrect, bestAt) = (correct, i) }
                }
                var row = SLAAgreement(priority.rawValue)
                for (i, sample) in list.enumerated() {
                    row.add(met: i <= bestAt, made: sample.made)
                    all.add(met: i <= bestAt, made: sample.made)
                }
                rows.append(row)
                hours[priority.rawValue] = bestAt < 0 ? nil : list[bestAt].used / 3600
            }
            return ReplayVerdicts(
                policy: clock.name, summary: "thresholds FITTED to made_sla (diagnostic upper bound, not a result)",
                priorities: rows, all: all, unjudged: unjudged, fittedHours: hours)
        }
    }
}

extension EventLogReplayReport {
    /// One table per declared policy, then the fitted diagnostics, then the best of each.
    public var text: String {
        let kinds = illegalByKind.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
        var lines = [
            "\(events) events, \(incidents) incidents; \(illegalTransitions) illegal transitions"
                + (kinds.isEmpty ? "" : " (\(kinds.joined(separator: ", ")))"),
            "made_sla: from each incident's last row; our verdict: met = first resolve (else first close) <= deadline",
        ]
        let head = ["PRI", "INCIDENTS", "MET", "BREACHED", "SLA TRUE", "SLA FALSE", "AGREE", "MET/T", "MET/F", "BR/T", "BR/F"]
        for verdicts in policies + fitted {
            lines += ["", "\(verdicts.policy): \(verdicts.summary)" + (verdicts.unjudged > 0 ? "; \(verdicts.unjudged) not judged" : "")]
            let rows = [head] + (verdicts.priorities + [verdicts.all]).map { a in
                [a.label, "\(a.incidents)", "\(a.metTrue + a.metFalse)", "\(a.breachedTrue + a.breachedFalse)",
                 "\(a.metTrue + a.breachedTrue)", "\(a.metFalse + a.breachedFalse)",
                 EvaluationReport.fixed(a.agreement * 100, digits: 1) + "%",
                 "\(a.metTrue)", "\(a.metFalse)", "\(a.breachedTrue)", "\(a.breachedFalse)"]
            }
            lines += rows.map { row in
                zip(row.indices, row).map { EvaluationReport.pad($1, $0 == 0 ? 4 : 10, right: $0 > 0) }.joined(separator: " ")
            }
            if let hours = verdicts.fittedHours {
                lines.append("fitted thresholds (hours): " + hours.sorted { $0.key < $1.key }
                    .map { "\($0.key) " + ($0.value.map { EvaluationReport.fixed($0, digits: 1) } ?? "none (all breached)") }
                    .joined(separator: ", "))
            }
        }
        if let best {
            lines += ["", "best declared policy: \(best.policy), agreement \(EvaluationReport.fixed(best.all.agreement * 100, digits: 1))%"]
        }
        if let top = fitted.max(by: { $0.all.agreement < $1.all.agreement }) {
            lines.append("best FITTED (not a result): \(top.policy), agreement \(EvaluationReport.fixed(top.all.agreement * 100, digits: 1))%")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
