import Foundation
import Testing
import TriageCore
import TriageEngine

/// IncidentQuery: the operators' listing, filtered, newest first, a page at a time.
extension StoreConformance {
    /// The incidents the listing checks run over, newest first:
    ///
    /// | id | received | source | title / description | decision | then |
    /// |---|---|---|---|---|---|
    /// | f | t0+240 | generic | Queue backlog | globex P1 queue | resolved by the vendor |
    /// | d, e | t0+180 | generic, alertmanager | Café crème machine; CPU high | d: none (abstained, P4); e: not triaged | |
    /// | c | t0+120 | generic | Sale 500 off banner / `cost 100\ percent` | acme P3 web | |
    /// | b | t0+60 | generic | Sale 50%_off banner | globex P2 web | |
    /// | a | t0 | generic | Database down / primary db unreachable | acme P1 database | fired again at t0+300 |
    struct QueryFixture {
        var a, b, c, d, e, f: IncidentID
        /// Every incident, newest first: d and e were received in the same millisecond, so by id.
        var all: [IncidentID] { [f] + [d, e].sorted { $0.rawValue > $1.rawValue } + [c, b, a] }
    }

    /// Accepts `draft` at `at`, claims it and completes it with a decision saying `explanation`
    /// (a message for `vendor` when there is one; no SLA clock). The store must hold no other queued item.
    @discardableResult
    func triage(
        _ store: Store, _ draft: IncidentDraft, at: Date, vendor: String?, priority: Priority, category: String?,
        explanation: [String]
    ) async throws -> IncidentID {
        let id = try #require(try await store.accept([draft], raw: raw(draft.source, at: at)).first).id
        let item = try #require(try await store.claim(limit: 1, owner: "worker", now: at, lease: .seconds(60)).first)
        #expect(item.incident.id == id)
        var made = decision(id, vendor: vendor, priority: priority, category: category, at: at)
        made.explanation = explanation
        try await store.complete(
            item, decision: made, outbox: vendor.map { [message("\(draft.dedupKey)-1", vendor: $0)] } ?? [], clock: nil,
            capacity: nil, now: at)
        return id
    }

    func queryFixture(_ store: Store) async throws -> QueryFixture {
        func make(_ key: String, _ title: String, _ description: String = "", source: String = "generic", severity: Severity = .error)
            -> IncidentDraft
        {
            IncidentDraft(
                source: source, dedupKey: key, title: title, description: description, severity: severity, service: "svc-\(key)")
        }
        let first = make("a", "Database down", "primary db unreachable", severity: .critical)
        let a = try await triage(
            store, first, at: t0, vendor: "acme", priority: .p1, category: "database",
            explanation: ["rule db matched", "vendor acme: least loaded"])
        let b = try await triage(
            store, make("b", "Sale 50%_off banner"), at: t0 + 60, vendor: "globex", priority: .p2, category: "web",
            explanation: ["rule web matched"])
        let c = try await triage(
            store, make("c", "Sale 500 off banner", #"cost 100\ percent"#), at: t0 + 120, vendor: "acme", priority: .p3,
            category: "web", explanation: ["rule web matched", "vendor acme: only candidate"])
        let d = try await triage(
            store, make("d", "Café crème machine", severity: .warning), at: t0 + 180, vendor: nil, priority: .p4,
            category: nil, explanation: ["no rule matched", "no vendor: waiting for a human"])
        let f = try await triage(
            store, make("f", "Queue backlog"), at: t0 + 240, vendor: "globex", priority: .p1, category: "queue",
            explanation: ["rule queue matched", "vendor globex: contract"])
        #expect(try await store.apply(request(f, .resolve, eventID: "list-1", at: t0 + 250)) == .applied(from: .assigned, to: .resolved))
        _ = try await store.accept([first], raw: raw(at: t0 + 300))
        let e = try #require(
            try await store.accept([make("e", "CPU high", source: "alertmanager")], raw: raw("alertmanager", at: t0 + 180)).first
        ).id
        return QueryFixture(a: a, b: b, c: c, d: d, e: e, f: f)
    }

    /// Each filter alone and together, text matching with `%`, `_` and `\` as plain characters and
    /// ASCII-only case folding, newest-first order, the limit, and paging with the `before` cursor.
    public func incidentListingFiltersOrdersAndPages() async throws {
        let store = try await makeStore()
        let x = try await queryFixture(store)
        try await listingShowsSummariesNewestFirst(store, x)
        try await listingFilters(store, x)
        try await listingPages(store, x)
    }

    func ids(
        _ store: Store, _ filter: IncidentFilter = IncidentFilter(), limit: Int = 100, before: IncidentID? = nil
    ) async throws -> [IncidentID] {
        try await store.incidents(matching: filter, limit: limit, before: before?.rawValue).map(\.id)
    }

    func listingShowsSummariesNewestFirst(_ store: Store, _ x: QueryFixture) async throws {
        let all = try await store.incidents(matching: IncidentFilter(), limit: 100, before: nil)
        #expect(all.map(\.id) == x.all)
        #expect(all.first { $0.id == x.a } == IncidentSummary(
            id: x.a, source: "generic", title: "Database down", status: .assigned, phase: .assigned, severity: .critical,
            service: "svc-a", priority: .p1, category: "database", vendor: "acme", abstained: false, receivedAt: t0,
            decidedAt: t0, reason: "vendor acme: least loaded", occurrences: 2))
        #expect(all.first { $0.id == x.d } == IncidentSummary(
            id: x.d, source: "generic", title: "Café crème machine", status: .open, phase: .triaged, severity: .warning,
            service: "svc-d", priority: .p4, category: nil, vendor: nil, abstained: true, receivedAt: t0 + 180,
            decidedAt: t0 + 180, reason: "no vendor: waiting for a human", occurrences: 1))
        #expect(all.first { $0.id == x.e } == IncidentSummary(
            id: x.e, source: "alertmanager", title: "CPU high", status: .open, phase: .new, severity: .error,
            service: "svc-e", priority: nil, category: nil, vendor: nil, abstained: nil, receivedAt: t0 + 180,
            decidedAt: nil, reason: nil, occurrences: 1))
        let f = all.first { $0.id == x.f }
        #expect(f?.status == .resolved)
        #expect(f?.phase == .resolved)
        #expect(f?.reason == "vendor globex: contract")
        // The summary agrees with the incident's detail.
        for summary in all {
            let detail = try await detail(store, summary.id)
            #expect(summary.title == detail.incident.title)
            #expect(summary.status == detail.incident.status)
            #expect(summary.phase == detail.phase)
            #expect(summary.receivedAt == detail.incident.receivedAt)
            #expect(summary.occurrences == detail.incident.occurrences)
            #expect(summary.vendor == detail.decision?.vendor)
            #expect(summary.reason == detail.decision?.explanation.last)
        }
    }

    func listingFilters(_ store: Store, _ x: QueryFixture) async throws {
        // One condition at a time.
        #expect(try await ids(store, IncidentFilter(status: .open)) == x.all.filter { [x.d, x.e].contains($0) })
        #expect(try await ids(store, IncidentFilter(status: .assigned)) == [x.c, x.b, x.a])
        #expect(try await ids(store, IncidentFilter(status: .resolved)) == [x.f])
        #expect(try await ids(store, IncidentFilter(status: .acknowledged)).isEmpty)
        #expect(try await ids(store, IncidentFilter(phase: .new)) == [x.e])
        #expect(try await ids(store, IncidentFilter(phase: .triaged)) == [x.d])
        #expect(try await ids(store, IncidentFilter(phase: .assigned)) == [x.c, x.b, x.a])
        #expect(try await ids(store, IncidentFilter(phase: .resolved)) == [x.f])
        #expect(try await ids(store, IncidentFilter(vendor: "acme")) == [x.c, x.a])
        #expect(try await ids(store, IncidentFilter(vendor: "globex")) == [x.f, x.b])
        #expect(try await ids(store, IncidentFilter(vendor: "ACME")).isEmpty)
        #expect(try await ids(store, IncidentFilter(priority: .p1)) == [x.f, x.a])
        #expect(try await ids(store, IncidentFilter(priority: .p4)) == [x.d])
        #expect(try await ids(store, IncidentFilter(priority: .p5)).isEmpty)
        #expect(try await ids(store, IncidentFilter(source: "alertmanager")) == [x.e])
        #expect(try await ids(store, IncidentFilter(source: "generic")) == x.all.filter { $0 != x.e })
        // Received: half-open [from, to).
        #expect(try await ids(store, IncidentFilter(receivedFrom: t0 + 60, receivedTo: t0 + 180)) == [x.c, x.b])
        #expect(try await ids(store, IncidentFilter(receivedFrom: t0 + 180)) == Array(x.all.prefix(3)))
        #expect(try await ids(store, IncidentFilter(receivedTo: t0 + 60)) == [x.a])
        #expect(try await ids(store, IncidentFilter(receivedTo: t0 + 0.001)) == [x.a])
        #expect(try await ids(store, IncidentFilter(receivedFrom: t0 + 0.001, receivedTo: t0 + 60)).isEmpty)
        #expect(try await ids(store, IncidentFilter(receivedFrom: t0 + 120, receivedTo: t0 + 120)).isEmpty)
        // Text: title or description, ASCII case folded, wildcards and the escape character taken literally.
        #expect(try await ids(store, IncidentFilter(text: "DATABASE")) == [x.a])
        #expect(try await ids(store, IncidentFilter(text: "db UNREACH")) == [x.a])
        #expect(try await ids(store, IncidentFilter(text: "sale")) == [x.c, x.b])
        #expect(try await ids(store, IncidentFilter(text: "50%_off")) == [x.b])
        #expect(try await ids(store, IncidentFilter(text: "50%")) == [x.b])
        #expect(try await ids(store, IncidentFilter(text: "%")) == [x.b])
        #expect(try await ids(store, IncidentFilter(text: "_")) == [x.b])
        #expect(try await ids(store, IncidentFilter(text: "500 off")) == [x.c])
        #expect(try await ids(store, IncidentFilter(text: #"100\ p"#)) == [x.c])
        #expect(try await ids(store, IncidentFilter(text: #"\"#)) == [x.c])
        #expect(try await ids(store, IncidentFilter(text: "café CRèME")) == [x.d])
        #expect(try await ids(store, IncidentFilter(text: "CAFÉ")).isEmpty, "only ASCII letters fold case")
        #expect(try await ids(store, IncidentFilter(text: "nowhere")).isEmpty)
        #expect(try await ids(store, IncidentFilter(text: "")) == x.all)
        // Conditions together must all hold.
        #expect(try await ids(store, IncidentFilter(vendor: "acme", priority: .p3)) == [x.c])
        #expect(try await ids(store, IncidentFilter(vendor: "acme", priority: .p2)).isEmpty)
        #expect(try await ids(store, IncidentFilter(status: .resolved, vendor: "globex")) == [x.f])
        #expect(try await ids(store, IncidentFilter(source: "generic", text: "banner")) == [x.c, x.b])
        #expect(try await ids(store, IncidentFilter(receivedFrom: t0 + 100, text: "banner")) == [x.c])
        #expect(try await ids(store, IncidentFilter(phase: .triaged, vendor: "acme")).isEmpty)
        #expect(try await ids(store, IncidentFilter(
            status: .assigned, phase: .assigned, vendor: "globex", priority: .p2, source: "generic", receivedFrom: t0,
            receivedTo: t0 + 61, text: "SALE")) == [x.b])
    }

    func listingPages(_ store: Store, _ x: QueryFixture) async throws {
        #expect(try await ids(store, limit: 2) == Array(x.all.prefix(2)))
        #expect(try await ids(store, limit: 0).isEmpty)
        #expect(try await ids(store, limit: -1).isEmpty)
        // Pages of two, each after the last of the one before: every incident once, in order.
        var pages: [[IncidentID]] = []
        var cursor: IncidentID?
        while pages.count < 10 {
            let page = try await ids(store, limit: 2, before: cursor)
            if page.isEmpty { break }
            pages.append(page)
            cursor = page.last
        }
        #expect(pages.map(\.count) == [2, 2, 2])
        #expect(pages.flatMap { $0 } == x.all)
        // The second incident received at t0+180 comes after the first: the cursor breaks the tie by id.
        #expect(try await ids(store, limit: 1, before: x.all[1]) == [x.all[2]])
        // With a filter; a cursor that the filter does not match still marks the place.
        let acme = IncidentFilter(vendor: "acme")
        #expect(try await ids(store, acme, limit: 1) == [x.c])
        #expect(try await ids(store, acme, limit: 1, before: x.c) == [x.a])
        #expect(try await ids(store, acme, limit: 1, before: x.a).isEmpty)
        #expect(try await ids(store, acme, before: x.b) == [x.a])
        #expect(try await ids(store, acme, before: x.f) == [x.c, x.a])
        // A cursor naming no incident is refused.
        var generator = SystemRandomNumberGenerator()
        let unknown = IncidentID(now: t0, using: &generator)
        await #expect(throws: IncidentQueryError.unknownCursor(unknown.rawValue)) {
            _ = try await store.incidents(matching: IncidentFilter(), limit: 10, before: unknown.rawValue)
        }
    }
}
