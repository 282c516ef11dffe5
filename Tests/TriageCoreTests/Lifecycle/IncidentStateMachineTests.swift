import Testing

@testable import TriageCore

/// Every (phase, action) pair: the legal ones go where the table says, the rest are refused with
/// the allowed actions listed.
struct IncidentStateMachineTests {
    /// The whole legal table, written out independently of the implementation's.
    static let legal: [IncidentPhase: [LifecycleAction: IncidentPhase]] = [
        .new: [.triage: .triaged, .assign: .assigned, .suppress: .suppressed, .acknowledge: .acknowledged, .resolve: .resolved, .comment: .new],
        .triaged: [.triage: .triaged, .assign: .assigned, .suppress: .suppressed, .acknowledge: .acknowledged, .resolve: .resolved, .comment: .triaged],
        .assigned: [
            .assign: .assigned, .acknowledge: .acknowledged, .pause: .paused, .resolve: .resolved, .reassign: .assigned,
            .reassignRequest: .assigned, .comment: .assigned,
        ],
        .acknowledged: [
            .acknowledge: .acknowledged, .pause: .paused, .resolve: .resolved, .reassign: .assigned,
            .reassignRequest: .acknowledged, .comment: .acknowledged,
        ],
        .paused: [.pause: .paused, .resume: .acknowledged, .resolve: .resolved, .reassign: .assigned, .reassignRequest: .paused, .comment: .paused],
        .resolved: [.resolve: .resolved, .close: .closed, .reopen: .assigned, .comment: .resolved],
        .closed: [.close: .closed, .comment: .closed],
        .suppressed: [.resolve: .resolved, .triage: .triaged, .comment: .suppressed],
    ]

    static let pairs: [(IncidentPhase, LifecycleAction)] = IncidentPhase.allCases.flatMap { phase in
        LifecycleAction.allCases.map { (phase, $0) }
    }

    @Test(arguments: pairs)
    func everyTransition(_ phase: IncidentPhase, _ action: LifecycleAction) {
        let result = IncidentStateMachine.next(phase, on: action, pausedFrom: .acknowledged)
        if let expected = Self.legal[phase]?[action] {
            #expect(result == .success(expected), "\(phase) --\(action)-->")
        } else {
            guard case .failure(let error) = result else {
                Issue.record("\(phase) --\(action)--> should be refused, got \(result)")
                return
            }
            #expect(error.phase == phase && error.action == action)
            #expect(error.allowed == LifecycleAction.allCases.filter { Self.legal[phase]?[$0] != nil })
        }
    }

    @Test func refusalsSayWhatIsAllowed() {
        let result = IncidentStateMachine.next(.closed, on: .acknowledge)
        #expect(result == .failure(IllegalTransition(phase: .closed, action: .acknowledge, allowed: [.close, .comment])))
        if case .failure(let error) = result {
            #expect(error.description == "cannot acknowledge an incident that is closed (allowed: close, comment)")
        }
    }

    @Test func resumeReturnsWhereThePauseStarted() {
        #expect(IncidentStateMachine.next(.paused, on: .resume, pausedFrom: .assigned) == .success(.assigned))
        #expect(IncidentStateMachine.next(.paused, on: .resume, pausedFrom: .acknowledged) == .success(.acknowledged))
        #expect(IncidentStateMachine.next(.paused, on: .resume) == .success(.assigned))
    }

    @Test func aWholeLifeByWebhooks() {
        var phase = IncidentPhase.new
        for action in [LifecycleAction.triage, .assign, .acknowledge, .pause, .resume, .resolve, .reopen, .acknowledge, .resolve, .close] {
            guard case .success(let next) = IncidentStateMachine.next(phase, on: action, pausedFrom: .acknowledged) else {
                Issue.record("\(phase) refused \(action)")
                return
            }
            phase = next
        }
        #expect(phase == .closed)
        #expect(!phase.isOpen)
    }
}
