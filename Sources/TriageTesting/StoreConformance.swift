import Foundation
import Testing
import TriageCore
import TriageEngine

/// The behaviour every store adapter must show, port by port; SQLite runs it now, PostgreSQL will run the same.
///
/// Each check takes a fresh, empty store from `makeStore` (the archive check takes two). Time is an
/// input: every instant is derived from `t0`, never from the wall clock. The checks live in
/// extensions by port: `+Intake`, `+Queue`, `+Admin`, `+Vendors`, `+SLA`, `+Lifecycle`, `+Archive`.
public struct StoreConformance<Store: TriageStore> {
    let makeStore: @Sendable () async throws -> Store
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A suite taking its stores from `makeStore`, which must give a fresh, empty store on every call.
    public init(makeStore: @escaping @Sendable () async throws -> Store) {
        self.makeStore = makeStore
    }

    /// Runs every check.
    public func run() async throws {
        // IncidentStore
        try await acceptStoresAndQueues()
        try await refireDeduplicatesAndResolveCloses()
        try await rejectedPayloadsAreKept()
        try await lifecycleFollowsTheSender()
        try await refireAfterResolutionFollowsThePolicy()
        try await replayedDeliveriesStoreNothing()
        try await concurrentIntakesAllLand()
        // WorkQueue, Outbox
        try await claimLeasesAndExpiredLeasesAreReclaimed()
        try await completeWritesDecisionOutboxAndTimersOnce()
        try await completeRefusesAnAssignmentPastTheVendorsCapacity()
        try await capacityOnlyLimitsDispatchedAssignments()
        try await outboxRetriesDeliversAndDeadLetters()
        try await aStaleDispatchersAttemptIsNotRecorded()
        try await anIncidentsMessagesToAnEndpointAreClaimedInTheOrderQueued()
        // AdminStore
        try await vendorSwitchesShowInTheVendorStats()
        try await theAuditTrailKeepsEveryEntry()
        // OutboxAdmin, ModelStore, counts()
        try await outboxAdminListsRetriesAndDrops()
        try await modelsAreSavedAndReplaced()
        try await trainingExamplesComeFromRuleDecidedResolvedIncidents()
        try await openIncidentsAreThoseStillOpenSinceAnInstant()
        try await countsFollowWhatWasStored()
        // VendorStatsStore, ReassignmentStore, SLAHistoryStore
        try await vendorStatsFollowAssignmentsAndResolutions()
        try await reassignmentMovesDecisionDeliveryClocksAndLoad()
        try await slaHistoryKeepsEveryVendorsTurn()
        // SLAClockStore
        try await completeWithAClockStartsItsTimers()
        try await dueTimersAreLeasedAndTakenOverAfterExpiry()
        try await firingATimerCommitsItsEffectsOnce()
        try await pauseResumeAndReplanMoveTheDeadlines()
        try await clocksDueAreRunningClocksSoonestFirst()
        // LifecycleStore
        try await lifecycleActionsMoveThePhaseOnce()
        try await lifecycleRefusesIllegalTransitionsAndUnknownIncidents()
        try await lifecycleResolveAndReopenMoveClocksAndLoad()
        // IncidentArchiveStore
        try await archivesRestoreIntoAnotherStoreUnchanged()
        try await incidentListingFiltersOrdersAndPages()
        // RetentionStore
        try await retentionChecks()
    }

    func raw(_ source: String = "generic", at: Date? = nil) -> RawPayload {
        RawPayload(source: source, contentType: "application/json", body: Array("{}".utf8), receivedAt: at ?? t0)
    }

    func draft(_ key: String, resolved: Bool = false) -> IncidentDraft {
        IncidentDraft(source: "generic", dedupKey: key, title: "Incident \(key)", severity: .error, action: resolved ? .resolve : .trigger)
    }

    func draft(_ key: String, _ action: IncidentDraft.Action, severity: Severity = .error, title: String? = nil)
        -> IncidentDraft
    {
        IncidentDraft(source: "generic", dedupKey: key, title: title ?? "Incident \(key)", severity: severity, action: action)
    }

    /// A decision for `id` naming `vendor` (rule-decided: no classifier prediction).
    func decision(
        _ id: IncidentID, vendor: String?, priority: Priority = .p3, category: String? = "database", at: Date? = nil
    ) -> Decision {
        Decision(
            incidentID: id, decidedAt: at ?? t0, category: category, priority: priority, vendor: vendor,
            abstained: category == nil, matchedRules: category == nil ? [] : ["rule-\(category ?? "")"], sla: nil,
            explanation: ["because"])
    }

    /// Contract terms of `vendor`: acknowledge in 1 h, resolve in 4 h, around the clock.
    func terms(
        _ vendor: String, priority: Priority = .p3, acknowledge: Int64 = 3600, resolve: Int64 = 14_400,
        steps: [EscalationStep] = []
    ) -> SLASnapshot {
        SLASnapshot(
            source: "contract '\(vendor)'", vendor: vendor, priority: priority, acknowledge: .seconds(acknowledge),
            resolve: .seconds(resolve), ladder: steps.isEmpty ? nil : "standard", steps: steps)
    }

    /// The message `complete` queues for an incident dispatched to `vendor`.
    func message(_ id: String, vendor: String) -> NewOutboxMessage {
        NewOutboxMessage(id: id, vendor: vendor, endpoint: "http://127.0.0.1:1/\(vendor)", body: Array("{}".utf8))
    }

    /// Accepts `draft` at `at`, claims it and completes it: dispatched to `vendor` (message `<key>-1`)
    /// with clocks under `clock` started at `at`, or triaged without a vendor when `vendor` is `nil`.
    /// The store must hold no other queued item.
    @discardableResult
    func dispatch(
        _ store: Store, _ draft: IncidentDraft, vendor: String?, priority: Priority = .p3, clock: SLASnapshot? = nil,
        at: Date? = nil, capacity: CapacityLimit? = nil
    ) async throws -> IncidentID {
        let now = at ?? t0
        let id = try #require(try await store.accept([draft], raw: raw(at: now)).first).id
        let item = try #require(try await store.claim(limit: 1, owner: "worker", now: now, lease: .seconds(60)).first)
        #expect(item.incident.id == id)
        try await store.complete(
            item, decision: decision(id, vendor: vendor, priority: priority, at: now),
            outbox: vendor.map { [message("\(draft.dedupKey)-1", vendor: $0)] } ?? [],
            clock: clock.map { SLAClockStart(snapshot: $0, startedAt: now) }, capacity: capacity, now: now)
        return id
    }

    /// The incident's detail, failing the check when the store does not know it.
    func detail(_ store: Store, _ id: IncidentID) async throws -> IncidentDetail {
        try #require(try await store.incident(id))
    }
}
