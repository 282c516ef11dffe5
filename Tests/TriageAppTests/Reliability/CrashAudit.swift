import Foundation
import TriageCore
import TriageEngine
import TriageHTTP
import TriageStoreSQLite

/// The verdict once the store has settled: for every webhook key sent, what became of it, checked
/// against the store and against what the vendor sink received (by idempotency key).
///
/// - lost: answered 2xx, but no incident has its dedup key, or the incident was never triaged,
///   or its dispatch never reached the sink;
/// - duplicated: a key with two incidents, an incident counted twice (occurrences above 1), or one
///   incident's dispatch sent under two different idempotency keys (the vendor would open two
///   tickets), whether or not the request was answered 2xx;
/// - redelivered: a request under an idempotency key the sink had already received (a delivery in
///   flight at a kill, sent again; the vendor deduplicates it). Allowed.
///
/// Also checked: every outbox message delivered and at the sink, no key at the sink that the store
/// does not know, and each incident's SLA notices at the sink, `noticesPerIncident` keys each.
struct CrashAudit {
    /// What the audit reads, gathered from the senders, the store and the sink.
    struct Facts {
        /// One stored incident.
        struct Stored {
            var id: String
            var dedupKey: String
            var occurrences: Int
            /// Has a decision and its work item is done.
            var triaged: Bool
        }

        var accepted: Set<Int>
        var notAccepted: Set<Int>
        var incidents: [Stored]
        /// Every outbox message: its id (the idempotency key) and status.
        var outbox: [(id: String, status: String)]
        /// The idempotency key of each request the sink received, in order; `nil` when it had none.
        var received: [String?]
        var noticesPerIncident: Int
    }

    var sent = 0
    var accepted = 0
    var lost = 0
    var duplicated = 0
    /// Requests repeating an idempotency key already received (dispatches and notices).
    var redelivered = 0
    /// Incidents from requests that got no 2xx: the kill came between the commit and the answer.
    var storedUnanswered = 0
    var incidents = 0
    /// Escalation notices delivered (distinct keys).
    var notices = 0
    /// Problems found, one line each (the first five of each kind are kept).
    private(set) var problems: [String] = []
    /// Problems by kind, with how many there were of each.
    private(set) var problemCounts: [String: Int] = [:]

    /// Reads the settled store and the sink, then audits.
    static func check(ledger: CrashLedger, store: SQLiteStore, sink: VendorSink, noticesPerIncident: Int) async throws
        -> CrashAudit
    {
        var stored: [Facts.Stored] = []
        for incident in try await store.incidents(source: "generic") {
            let detail = try await store.incident(incident.id)
            stored.append(
                Facts.Stored(
                    id: incident.id.rawValue, dedupKey: incident.dedupKey, occurrences: incident.occurrences,
                    triaged: detail?.decision != nil && detail?.queueState == "done"))
        }
        let outbox = try await store.outboxEntries(status: nil, limit: Int.max).map { (id: $0.id, status: $0.status) }
        return CrashAudit(
            Facts(
                accepted: ledger.accepted, notAccepted: ledger.notAccepted, incidents: stored, outbox: outbox,
                received: sink.received.map { $0.headers["idempotency-key"] }, noticesPerIncident: noticesPerIncident))
    }

    init(_ facts: Facts) {
        sent = facts.accepted.count + facts.notAccepted.count
        accepted = facts.accepted.count
        incidents = facts.incidents.count
        let byKey = Dictionary(grouping: facts.incidents, by: \.dedupKey)

        // What the vendor received, by idempotency key; dispatch keys are `<incident>-<round>`,
        // notice keys `<incident>-sla…`.
        var received: [String: Int] = [:]
        for key in facts.received {
            guard let key else {
                note("no-key", "the sink received a request without an idempotency key")
                continue
            }
            received[key, default: 0] += 1
        }
        redelivered = received.values.reduce(0) { $0 + $1 - 1 }
        let messageIDs = Set(facts.outbox.map(\.id))
        var dispatchKeys: [String: Set<String>] = [:]
        var noticeKeys: [String: Int] = [:]
        for key in received.keys {
            let parts = key.split(separator: "-")
            if parts.count == 2, Int(parts[1]) != nil {
                dispatchKeys[String(parts[0]), default: []].insert(key)
            } else if parts.count > 1, parts[1].hasPrefix("sla") {
                notices += 1
                noticeKeys[String(parts[0]), default: 0] += 1
            }
            if !messageIDs.contains(key) { note("orphan", "the sink received key \(key), which is no outbox message in the store") }
        }
        for message in facts.outbox where message.status != "delivered" || received[message.id] == nil {
            note("undelivered", "outbox message \(message.id) is \(message.status), \(received[message.id] ?? 0) requests at the sink")
        }

        for key in facts.accepted.union(facts.notAccepted).sorted() {
            let wasAccepted = facts.accepted.contains(key)
            let found = byKey["k-\(key)"] ?? []
            if !wasAccepted, !found.isEmpty { storedUnanswered += 1 }
            guard let incident = found.first else {
                if wasAccepted {
                    lost += 1
                    note("lost", "k-\(key) was answered 2xx but no incident has that dedup key")
                }
                continue
            }
            let status = wasAccepted ? "accepted" : "not accepted"
            guard found.count == 1, incident.occurrences == 1 else {
                duplicated += 1
                note("duplicated", "k-\(key) (\(status)): \(found.count) incidents, occurrences \(found.map(\.occurrences))")
                continue
            }
            let keys = dispatchKeys[incident.id] ?? []
            if keys.count > 1 {
                duplicated += 1
                note("duplicated", "k-\(key) (\(status)): incident \(incident.id) dispatched under \(keys.sorted())")
            } else if !incident.triaged || keys.isEmpty {
                let what = "k-\(key) (\(status)): incident \(incident.id) \(incident.triaged ? "triaged" : "not triaged"), "
                    + "\(keys.count) dispatch keys at the sink"
                if wasAccepted { lost += 1 }
                note(wasAccepted ? "lost" : "unfinished", what)
            }
            if (noticeKeys[incident.id] ?? 0) != facts.noticesPerIncident {
                note(
                    "notices", "k-\(key): incident \(incident.id) has \(noticeKeys[incident.id] ?? 0) SLA notice keys at the sink, "
                        + "not \(facts.noticesPerIncident)")
            }
        }
    }

    /// Counts a problem; keeps the first five lines of each kind.
    private mutating func note(_ kind: String, _ problem: String) {
        problemCounts[kind, default: 0] += 1
        if problemCounts[kind, default: 0] <= 5 { problems.append("\(kind): \(problem)") }
    }
}
