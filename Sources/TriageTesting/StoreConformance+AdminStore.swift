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
    }
}
