import FoundationEssentials
import Testing

@testable import TriageCore

struct NeighbourIndexTests {
    let hasher = FeatureHasher()

    func vector(_ text: String) -> SparseVector { hasher.features(text).normalised() }

    func index(_ documents: [(id: String, text: String, label: String?, time: Double?, scope: String?)]) -> NeighbourIndex {
        var index = NeighbourIndex()
        for document in documents {
            index.add(
                id: document.id, vector: vector(document.text), label: document.label,
                time: document.time.map { Date(timeIntervalSince1970: $0) }, scope: document.scope)
        }
        return index
    }

    static let documents: [(id: String, text: String, label: String?, time: Double?, scope: String?)] = [
        ("1", "database connection pool exhausted on orders-db", "dba", 100, "orders"),
        ("2", "disk full on /var/log of web-3", "ops", 200, "web"),
        ("3", "database connection pool exhausted on billing-db", "dba", 300, "billing"),
        ("4", "cannot connect to vpn from home", "network", 400, "office"),
        ("5", "vpn connection drops every hour", "network", nil, nil),
    ]

    @Test func removingEverythingBeforeACutoffKeepsTheRestSearchable() {
        var index = index(Self.documents)
        #expect(index.removeAll(before: Date(timeIntervalSince1970: 250)) == 2)
        #expect(index.count == 3)
        #expect(!index.contains(id: "1") && !index.contains(id: "2"))
        #expect(index.contains(id: "5"), "a document without a time stays")
        #expect(index.nearest(vector("connection pool exhausted on the orders database"), k: 1).map(\.id) == ["3"])
        #expect(index.nearest(vector("disk full on /var/log of web-3"), k: 3, minimumScore: 0.5).isEmpty)
        // Freed slots are reused, and the postings of removed documents are gone.
        index.add(id: "6", vector: vector("disk full on /var/log of web-3"), label: nil, time: nil, scope: nil)
        #expect(index.nearest(vector("disk full on /var/log of web-3"), k: 1).map(\.id) == ["6"])
        #expect(index.removeAll(before: Date(timeIntervalSince1970: 250)) == 0)
    }

    @Test func findsTheMostSimilarFirst() {
        let index = index(Self.documents)
        #expect(index.count == 5)
        let found = index.nearest(vector("connection pool exhausted on the orders database"), k: 2)
        #expect(found.map(\.id) == ["1", "3"])
        #expect(found[0].label == "dba")
        #expect(found[0].score > found[1].score && found[0].score <= 1)
        let same = index.nearest(vector("disk full on /var/log of web-3"), k: 1)
        #expect(same.first?.id == "2")
        #expect(abs((same.first?.score ?? 0) - 1) < 1e-5)
        #expect(index.nearest(vector("vpn keeps dropping"), k: 2).map(\.id).first == "5")
    }

    @Test func respectsScopeSinceAndMinimumScore() {
        let index = index(Self.documents)
        let query = vector("database connection pool exhausted")
        #expect(index.nearest(query, k: 5, scope: "billing").map(\.id) == ["3"])
        #expect(index.nearest(query, k: 5, scope: "unknown").isEmpty)
        let recent = index.nearest(query, k: 5, since: Date(timeIntervalSince1970: 250))
        #expect(recent.first?.id == "3")
        #expect(!recent.contains { $0.id == "1" || $0.id == "5" })  // too old; no time
        #expect(index.nearest(query, k: 5, minimumScore: 0.99).isEmpty)
        #expect(index.nearest(query, k: 5, minimumScore: 0.3).allSatisfy { $0.score >= 0.3 })
        #expect(index.nearest(.empty, k: 5).isEmpty)
        #expect(index.nearest(query, k: 0).isEmpty)
    }

    @Test func removalAndReplacementWork() {
        var index = index(Self.documents)
        let query = vector("database connection pool exhausted on orders-db")
        let removed = index.remove(id: "1")
        let removedAgain = index.remove(id: "1")
        #expect(removed)
        #expect(!removedAgain)
        #expect(!index.contains(id: "1"))
        #expect(index.count == 4)
        #expect(index.nearest(query, k: 1).first?.id == "3")
        // The freed slot is reused without reviving the removed document.
        index.add(id: "6", vector: vector("printer out of toner"), label: "desk", time: nil, scope: nil)
        #expect(!index.nearest(query, k: 5).contains { $0.id == "1" })
        #expect(!index.nearest(query, k: 5, minimumScore: 0.3).contains { $0.id == "6" })
        #expect(index.nearest(vector("printer toner"), k: 1).first?.id == "6")
        // Adding an existing id replaces it.
        index.add(id: "3", vector: vector("printer out of paper"), label: "desk", time: nil, scope: nil)
        #expect(index.count == 5)
        #expect(index.nearest(query, k: 5, minimumScore: 0.3).allSatisfy { $0.id != "3" })
        #expect(index.nearest(vector("printer out of paper"), k: 1).first?.id == "3")
    }

    @Test func staysCorrectAmongManyDocuments() {
        var index = NeighbourIndex()
        let services = ["orders", "billing", "search", "auth", "mail", "reports", "payments", "inventory"]
        let problems = ["disk full", "cpu high", "memory leak", "certificate expired", "queue backlog"]
        var count = 0
        for round in 0..<60 {
            for service in services {
                for problem in problems {
                    index.add(
                        id: "\(round)-\(service)-\(problem)", vector: vector("\(problem) on \(service)-\(round % 7) node"),
                        label: service, time: Date(timeIntervalSince1970: Double(round)), scope: nil)
                    count += 1
                }
            }
        }
        index.add(id: "needle", vector: vector("kafka consumer lag rising on ingest-42"), label: "kafka", time: nil, scope: nil)
        #expect(index.count == count + 1)
        let found = index.nearest(vector("consumer lag rising on kafka ingest-42"), k: 3)
        #expect(found.first?.id == "needle")
        let recent = index.nearest(vector("certificate expired on billing-3 node"), k: 3, since: Date(timeIntervalSince1970: 59))
        #expect(recent.first?.id == "59-billing-certificate expired")
    }
}
