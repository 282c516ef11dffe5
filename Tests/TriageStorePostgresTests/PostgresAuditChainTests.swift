import Foundation
import Logging
import PostgresNIO
import Testing
import TriageEngine
import TriageTesting

@testable import TriageStorePostgres

/// The audit trail on PostgreSQL: the database refuses changes and deletions of sealed entries,
/// and someone who disables that guard is still caught by the chain.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct PostgresAuditChainTests {
    @Test func sealedEntriesCannotChangeAndTamperingIsFound() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        for n in 1...5 {
            try await store.audit(
                AuditEntry(at: t0.addingTimeInterval(Double(n)), actor: "bearer", action: "GET /api/incidents/{id}",
                    target: "/api/incidents/inc-\(n)", status: 200, detail: "n=\(n)"))
        }
        #expect(try await AuditChain.verify(store).firstBreak == nil)
        let logger = Logger(label: "test")
        await #expect(throws: (any Error).self) {
            try await store.read { try await $0.query("UPDATE auditEvent SET detail = 'x' WHERE id = 2", logger: logger) }
        }
        await #expect(throws: (any Error).self) {
            try await store.read { try await $0.query("DELETE FROM auditEvent WHERE id = 2", logger: logger) }
        }
        try await store.read { c in
            try await c.query("ALTER TABLE auditEvent DISABLE TRIGGER auditEvent_append_only", logger: logger)
            try await c.query("UPDATE auditEvent SET status = 403 WHERE id = 2", logger: logger)
        }
        let changed = try await AuditChain.verify(store).firstBreak
        #expect(changed?.entryID == 2 && changed?.kind == .changed)
        try await store.read { c in
            try await c.query("UPDATE auditEvent SET status = 200 WHERE id = 2", logger: logger)
            try await c.query("DELETE FROM auditEvent WHERE id = 3", logger: logger)
        }
        let broken = try await AuditChain.verify(store)
        #expect(broken.firstBreak?.entryID == 4)
        #expect(broken.firstBreak?.description.contains("does not follow the entry before it") == true)
    }
}
