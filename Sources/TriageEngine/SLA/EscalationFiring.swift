import Foundation
import TriageCore

/// Decides what firing one claimed timer does: nothing when it is stale, a breach record for a
/// deadline, the step's actions for an escalation step. Pure apart from reading the policy.
struct EscalationFiring {
    let vendors: [String: Vendor]
    let notify: [String: NotifyEndpoint]
    /// A timer fired this long after it was due is marked late.
    let lateAfter: TimeInterval

    /// The outcome to record, and the backup vendor to hand the incident to, if a step asks.
    func fire(_ due: DueTimer, now: Date) -> (FiredTimer, reassignTo: String?) {
        let late = now.timeIntervalSince(due.timer.dueAt) > lateAfter
        var outcome = FiredTimer(
            id: due.id, incidentID: due.incidentID, status: .fired, generation: due.generation, late: late)
        guard let clock = due.clock, clock.generation == due.generation, clock.state.isRunning(due.timer.target),
            clock.state.pausedSince == nil
        else {
            // The incident moved on (acknowledged, resolved, paused or reassigned): nothing to do.
            outcome.status = .stale
            return (outcome, nil)
        }
        let terms = clock.snapshot
        let vendor = terms.vendor
        let lateNote = late ? " (late: fired \(DurationText.format(.seconds(Int64(now.timeIntervalSince(due.timer.dueAt))))) after it was due)" : ""
        let deadline = due.timer.target == .acknowledge ? clock.acknowledgeBy : clock.resolveBy
        guard due.timer.step != SLASchedule.deadlineStep, terms.steps.indices.contains(due.timer.step) else {
            outcome.events.append((
                "sla-breach",
                "\(due.timer.target.rawValue) target breached by '\(vendor)': \(terms.describe(due.timer.target)) under "
                    + "\(terms.source) was due \(RFC3339.format(due.timer.dueAt))\(lateNote)"
            ))
            return (outcome, nil)
        }
        let step = terms.steps[due.timer.step]
        // Notices carry the incident as the assigned vendor may see it (its allow-list and redaction);
        // only the fields a notice carries are redacted, so the counts are the notice's own.
        let applied = due.incident.map { incident in
            var carried = incident
            (carried.description, carried.labels, carried.service, carried.link) = ("", [:], nil, nil)
            return vendors[vendor].map { OutboundRedaction(vendor: $0).apply(to: carried, explanation: []) }
        } ?? nil
        var done: [String] = []
        var reassignTo: String?
        for action in step.actions {
            switch action {
            case .notify(let name):
                let target: (vendor: String, url: String)?
                if name == "vendor" {
                    target = vendors[vendor].map { ($0.name, $0.endpoint) }
                } else {
                    target = notify[name].map { ($0.target.name, $0.url) }
                }
                guard let target else {
                    done.append("could not notify \(name): not configured any more")
                    continue
                }
                let id = "\(due.incidentID.rawValue)-sla\(due.generation)-\(due.timer.target.rawValue)-\(due.timer.step)-\(due.timer.occurrence)-\(name)"
                var body = EscalationNotice(
                    messageID: id, incident: applied?.incident ?? due.incident, incidentID: due.incidentID, vendor: vendor,
                    priority: due.priority ?? terms.priority, target: due.timer.target, step: step.label,
                    budget: DurationText.format(terms.budget(due.timer.target)), terms: terms.source, deadline: deadline,
                    dueAt: due.timer.dueAt, late: late)
                if applied?.removed.contains("severity") == true { body.incident.severity = "" }
                outcome.outbox.append(NewOutboxMessage(id: id, vendor: target.vendor, endpoint: target.url, body: body.encoded()))
                let redacted = applied?.summary ?? []
                done.append("notify \(name)" + (redacted.isEmpty ? "" : " (redacted: \(redacted.joined(separator: ", ")))"))
            case .raisePriority(let levels):
                let current = due.priority ?? terms.priority
                let raised = current.raised(by: levels)
                if raised != current {
                    outcome.raisePriorityTo = raised
                    done.append("priority \(current.rawValue) → \(raised.rawValue)")
                } else {
                    done.append("priority already \(current.rawValue)")
                }
            case .addTag(let tag):
                outcome.tags.append(tag)
                done.append("tag '\(tag)'")
            case .reassignToBackup:
                if let backup = vendors[vendor]?.backup, vendors[backup] != nil {
                    reassignTo = backup
                    done.append("reassign to backup '\(backup)'")
                } else {
                    done.append("no backup vendor for '\(vendor)' to reassign to")
                }
            }
        }
        let repeatNote = due.timer.occurrence > 0 ? " (repeat \(due.timer.occurrence))" : ""
        outcome.events.append((
            "sla-escalation",
            "\(step.label) reached for '\(vendor)' (\(terms.describe(due.timer.target)) under \(terms.source))\(repeatNote): "
                + done.joined(separator: ", ") + lateNote
        ))
        outcome.repetition = SLASchedule.repetition(after: due.timer, snapshot: terms)
        return (outcome, reassignTo)
    }
}

extension Priority {
    /// `levels` more urgent, never above P1.
    func raised(by levels: Int) -> Priority {
        let all = Priority.allCases.sorted()
        guard let index = all.firstIndex(of: self) else { return self }
        return all[max(0, index - max(0, levels))]
    }
}
