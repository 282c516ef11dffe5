import Testing

/// The crash test's audit on made-up facts: it must see loss and duplication where they are, and
/// nothing where a redelivery under the same key is all that happened.
struct CrashAuditTests {
    typealias Stored = CrashAudit.Facts.Stored

    static func delivered(_ ids: [String]) -> [(id: String, status: String)] { ids.map { (id: $0, status: "delivered") } }

    @Test func aRedeliveryUnderTheSameKeyIsNeitherLostNorDuplicated() {
        let audit = CrashAudit(
            CrashAudit.Facts(
                accepted: [0, 1], notAccepted: [2],
                incidents: [
                    Stored(id: "A", dedupKey: "k-0", occurrences: 1, triaged: true),
                    Stored(id: "B", dedupKey: "k-1", occurrences: 1, triaged: true),
                    // Key 2 was stored, but the kill came before the answer.
                    Stored(id: "C", dedupKey: "k-2", occurrences: 1, triaged: true),
                ],
                outbox: Self.delivered(["A-1", "B-1", "C-1", "A-sla0-resolve-0-0-vendor", "B-sla0-resolve-0-0-vendor",
                    "C-sla0-resolve-0-0-vendor"]),
                received: ["A-1", "B-1", "A-1", "C-1", "A-sla0-resolve-0-0-vendor", "B-sla0-resolve-0-0-vendor",
                    "C-sla0-resolve-0-0-vendor", "C-sla0-resolve-0-0-vendor"],
                noticesPerIncident: 1))
        #expect(audit.sent == 3)
        #expect(audit.accepted == 2)
        #expect(audit.lost == 0)
        #expect(audit.duplicated == 0)
        #expect(audit.redelivered == 2)
        #expect(audit.notices == 3)
        #expect(audit.storedUnanswered == 1)
        #expect(audit.problems.isEmpty, "\(audit.problems)")
    }

    @Test func lossAndDuplicationAreCountedWhereTheyAre() {
        let audit = CrashAudit(
            CrashAudit.Facts(
                accepted: [0, 1, 2, 3, 4, 6], notAccepted: [5],
                incidents: [
                    // k-0: accepted, never stored.
                    Stored(id: "B1", dedupKey: "k-1", occurrences: 1, triaged: true),
                    Stored(id: "B2", dedupKey: "k-1", occurrences: 1, triaged: true),
                    Stored(id: "C", dedupKey: "k-2", occurrences: 1, triaged: true),
                    Stored(id: "D", dedupKey: "k-3", occurrences: 1, triaged: false),
                    Stored(id: "E", dedupKey: "k-4", occurrences: 1, triaged: true),
                    Stored(id: "F1", dedupKey: "k-5", occurrences: 1, triaged: true),
                    Stored(id: "F2", dedupKey: "k-5", occurrences: 1, triaged: true),
                    Stored(id: "G", dedupKey: "k-6", occurrences: 2, triaged: true),
                ],
                outbox: Self.delivered(["B1-1", "B2-1", "C-1", "C-2", "F1-1", "F2-1", "G-1"]) + [(id: "E-1", status: "pending")],
                received: ["B1-1", "B2-1", "C-1", "C-2", "F1-1", "F2-1", "G-1", "X-1", nil],
                noticesPerIncident: 0))
        // k-0 missing, k-3 never triaged, k-4 never delivered.
        #expect(audit.lost == 3)
        // k-1 two incidents, k-2 two dispatch keys, k-5 two incidents (not accepted), k-6 counted twice.
        #expect(audit.duplicated == 4)
        #expect(audit.problemCounts["orphan"] == 1)
        #expect(audit.problemCounts["no-key"] == 1)
        #expect(audit.problemCounts["undelivered"] == 1)
        #expect(audit.redelivered == 0)
    }
}
