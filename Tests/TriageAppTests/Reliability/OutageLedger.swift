import Foundation
import GRDB
import TriageHTTP

/// What a SQLite store holds of incidents and outbox messages, read through a read-only connection
/// while `triage serve` keeps running on the file, and the checks a test makes of it against what a
/// ``VendorSink`` received.
struct OutageLedger {
    struct Message {
        var id: String
        var incidentID: String
        var endpoint: String
        var status: String
        var createdAt: Int64
        var seq: Int64
    }

    /// Dedup key → incident id.
    var incidents: [String: String]
    /// Every outbox message, by incident in creation order (createdAt, then the store's sequence).
    var messages: [String: [Message]]

    /// Reads the store at `path`.
    static func read(_ path: String) throws -> OutageLedger {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var incidents: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, dedupKey FROM incident") {
                incidents[row["dedupKey"] as String] = row["id"] as String
            }
            var messages: [String: [Message]] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, incidentId, endpoint, status, createdAt, seq FROM outboxMessage ORDER BY createdAt, seq")
            for row in rows {
                let message = Message(
                    id: row["id"], incidentID: row["incidentId"], endpoint: row["endpoint"], status: row["status"],
                    createdAt: row["createdAt"], seq: row["seq"])
                messages[message.incidentID, default: []].append(message)
            }
            return OutageLedger(incidents: incidents, messages: messages)
        }
    }

    /// Whether every incident of `keys` has its `perIncident` messages and all are delivered.
    func settled(keys: [Int], perIncident: Int) -> Bool {
        keys.allSatisfy { key in
            guard let id = incidents["k-\(key)"], let list = messages[id] else { return false }
            return list.count == perIncident && list.allSatisfy { $0.status == "delivered" }
        }
    }

    /// Problems found comparing the store with what the vendor received, empty when none:
    /// an accepted webhook without an incident, an incident without all its messages delivered,
    /// a message the vendor never got, or an incident's messages to an endpoint that first
    /// arrived out of creation order.
    func problems(accepted keys: [Int], perIncident: Int, received: [VendorSink.Received]) -> [String] {
        var firstArrival: [String: Int] = [:]
        for (index, request) in received.enumerated() {
            if let key = request.headers["idempotency-key"], firstArrival[key] == nil { firstArrival[key] = index }
        }
        var problems: [String] = []
        for key in keys {
            guard let id = incidents["k-\(key)"] else {
                problems.append("k-\(key): \(Self.notStored)")
                continue
            }
            let list = messages[id] ?? []
            if list.count != perIncident { problems.append("\(id): \(list.count) messages, expected \(perIncident)") }
            for message in list where message.status != "delivered" {
                problems.append("\(message.id): \(message.status), not delivered")
            }
            for message in list where firstArrival[message.id] == nil {
                problems.append("\(message.id): never received by the vendor")
            }
            for (_, sameEndpoint) in Dictionary(grouping: list, by: \.endpoint) {
                let arrivals = sameEndpoint.compactMap { firstArrival[$0.id] }
                if arrivals != arrivals.sorted() {
                    problems.append("\(id): messages arrived in the order \(sameEndpoint.sorted { (firstArrival[$0.id] ?? 0) < (firstArrival[$1.id] ?? 0) }.map(\.id)), queued \(sameEndpoint.map(\.id))")
                }
            }
        }
        return problems
    }

    /// How ``problems(accepted:perIncident:received:)`` ends the line of a webhook lost at intake.
    static let notStored = "accepted (2xx) but no incident in the store"

    /// All messages in the store.
    var messageCount: Int { messages.values.reduce(0) { $0 + $1.count } }
}
