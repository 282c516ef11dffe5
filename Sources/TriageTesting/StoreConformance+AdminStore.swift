import Foundation
import Testing
import TriageCore
import TriageEngine

extension StoreConformance {
    /// An operator's vendor switch shows in the vendor stats every worker reads, and goes away again.
    public func vendorSwitchesShowInTheVendorStats() async throws {
        let store = try await makeStore()
        #expect(try await store.vendorStats(since: t0)["acme"]?.disabledBecause == nil)
        try await store.setVendorDisabled("acme", reason: "outage at acme", actor: "admin-api", at: t0)
        #expect(try await store.vendorStats(since: t0)["acme"]?.disabledBecause == "outage at acme")
        try await store.setVendorDisabled("acme", reason: "still down", actor: "admin-api", at: t0.addingTimeInterval(60))
        #expect(try await store.vendorStats(since: t0)["acme"]?.disabledBecause == "still down")
        try await store.setVendorDisabled("acme", reason: nil, actor: "admin-api", at: t0.addingTimeInterval(120))
        #expect(try await store.vendorStats(since: t0)["acme"]?.disabledBecause == nil)
    }

    /// The audit trail keeps every entry as written, newest first.
    public func theAuditTrailKeepsEveryEntry() async throws {
        let store = try await makeStore()
        #expect(try await store.auditTrail(limit: 10).isEmpty)
        for n in 0..<3 {
            try await store.audit(
                AuditEntry(
                    at: t0.addingTimeInterval(Double(n)), actor: "bearer", action: "POST /api/vendors/{name}/disable",
                    target: "/api/vendors/acme/disable", status: 200 + n, detail: "n=\(n)"))
        }
        let trail = try await store.auditTrail(limit: 2)
        #expect(trail.map(\.status) == [202, 201])
        #expect(trail.first?.detail == "n=2")
        #expect(trail.first?.at == t0.addingTimeInterval(2))
        #expect(trail.first?.action == "POST /api/vendors/{name}/disable")
        #expect(try await store.auditTrail(limit: 10).count == 3)

        // The entries form one hash chain, oldest first, also when appended concurrently.
        let oldest = try await store.auditEntries(after: 0, limit: 10)
        #expect(oldest.map(\.detail) == ["n=0", "n=1", "n=2"])
        #expect(oldest.first?.previousHash == AuditChain.genesis)
        #expect(oldest[1].previousHash == oldest[0].hash && oldest[2].previousHash == oldest[1].hash)
        #expect(oldest.allSatisfy { AuditChain.hash(of: $0, after: $0.previousHash) == $0.hash })
        let at = t0
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<20 {
                group.addTask {
                    try await store.audit(
                        AuditEntry(at: at, actor: "bearer", action: "GET /api/incidents/{id}", target: "/api/incidents/\(n)",
                            status: 200, detail: ""))
                }
            }
            try await group.waitForAll()
        }
        let verified = try await AuditChain.verify(store, pageSize: 7)
        #expect(verified.count == 23)
        #expect(verified.firstBreak == nil, "\(verified.firstBreak?.description ?? "")")
        #expect(verified.head == (try await store.auditTrail(limit: 1).first?.hash))
        #expect(try await AuditChain.verify(store, anchor: oldest[2].hash).firstBreak == nil)
        let unknown = String(repeating: "a", count: 64)
        #expect(try await AuditChain.verify(store, anchor: unknown).firstBreak?.kind == .anchorMissing(unknown))
    }
}
