import Foundation
import GRDB
import Testing
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// `triage audit verify` and `export` on a real SQLite file: an intact chain passes, and each kind
/// of tampering someone with write access to the file could do is found and named.
struct AuditCommandTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func seeded(_ directory: TemporaryDirectory, entries: Int) async throws -> String {
        let path = directory.path("triage.sqlite")
        let store = try SQLiteStore(path: path)
        for n in 1...entries {
            try await store.audit(
                AuditEntry(
                    at: t0.addingTimeInterval(Double(n)), actor: "bearer", action: "GET /api/incidents/{id}",
                    target: "/api/incidents/inc-\(n)", status: 200, detail: "n=\(n)"))
        }
        return path
    }

    @Test func anIntactTrailVerifiesAndExportsWithItsHashes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await seeded(directory, entries: 5)
        let verify = try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + path])
        #expect(verify.status == 0, "\(verify.stderr)")
        let head = try #require(verify.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(verify.stdout.hasPrefix("audit trail intact: 5 entries, head "))
        #expect(try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + path, "--anchor", head]).status == 0)

        let export = try await TriageProcess.run(["audit", "export", "--store", "sqlite:" + path])
        #expect(export.status == 0, "\(export.stderr)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let lines = export.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        var verifier = AuditChain.Verifier()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["id", "at", "actor", "action", "target", "status", "detail", "previousHash", "hash"])
            let at = try #require(ISO8601DateFormatter.withFractions.date(from: object["at"] as? String ?? ""))
            verifier.check(
                AuditEntry(
                    id: (object["id"] as? NSNumber)?.int64Value, at: at, actor: object["actor"] as? String ?? "",
                    action: object["action"] as? String ?? "", target: object["target"] as? String ?? "",
                    status: object["status"] as? Int ?? 0, detail: object["detail"] as? String ?? "",
                    previousHash: object["previousHash"] as? String ?? "", hash: object["hash"] as? String ?? ""))
        }
        verifier.finish()
        #expect(verifier.firstBreak == nil, "an export verifies on its own")
        #expect(verifier.head == head)
        let after = try await TriageProcess.run(["audit", "export", "--store", "sqlite:" + path, "--after", "3"])
        #expect(after.stdout.split(separator: "\n").count == 2)
        let bad = try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + path, "--anchor", "xyz"])
        #expect(bad.status != 0 && bad.stderr.contains("--anchor: expected 64 lower-case hex digits"))
    }

    @Test func changedRemovedAndTruncatedEntriesAreFound() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await seeded(directory, entries: 6)
        let database = try DatabaseQueue(path: path)
        // The store refuses to change or delete a sealed entry.
        #expect(throws: (any Error).self) { try database.write { try $0.execute(sql: "UPDATE auditEvent SET detail = 'x' WHERE id = 3") } }
        #expect(throws: (any Error).self) { try database.write { try $0.execute(sql: "DELETE FROM auditEvent WHERE id = 3") } }

        // Someone with the file drops the guards and edits an entry: verify names it.
        try await database.write { db in
            try db.execute(sql: "DROP TRIGGER auditEvent_sealed; DROP TRIGGER auditEvent_kept")
            try db.execute(sql: "UPDATE auditEvent SET detail = 'n=33' WHERE id = 3")
        }
        var result = try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("entry 3 was changed after it was written"), "\(result.stderr)")

        // Put it back, then remove an entry in the middle: the next one no longer follows.
        try await database.write { db in
            try db.execute(sql: "UPDATE auditEvent SET detail = 'n=3' WHERE id = 3")
            try db.execute(sql: "DELETE FROM auditEvent WHERE id = 4")
        }
        result = try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + path])
        #expect(result.stderr.contains("entry 5 does not follow the entry before it"), "\(result.stderr)")

        // Removing the oldest entry is found too.
        try await database.write { db in try db.execute(sql: "DELETE FROM auditEvent WHERE id <= 4") }
        result = try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + path])
        #expect(result.stderr.contains("entry 5 is the oldest but does not start the chain"), "\(result.stderr)")

        // Removing only the newest leaves a valid shorter chain; the recorded head catches it.
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let fresh = try await seeded(other, entries: 4)
        let freshHead = try #require(try await SQLiteStore(path: fresh).auditTrail(limit: 1).first?.hash)
        try await DatabaseQueue(path: fresh).write { db in
            try db.execute(sql: "DROP TRIGGER auditEvent_kept")
            try db.execute(sql: "DELETE FROM auditEvent WHERE id = 4")
        }
        #expect(try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + fresh]).status == 0)
        result = try await TriageProcess.run(["audit", "verify", "--store", "sqlite:" + fresh, "--anchor", freshHead])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the recorded hash \(freshHead) is not in the trail"), "\(result.stderr)")
    }
}

extension ISO8601DateFormatter {
    fileprivate static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
