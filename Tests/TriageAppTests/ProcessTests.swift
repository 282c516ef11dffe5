import Foundation
import Testing
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// Tests of the real executable: a crash before triage, a restart on the same file, CLI errors.
struct ProcessTests {
    let client = CurlHTTPClient()

    @Test func incidentAcceptedBeforeACrashIsTriagedAndDeliveredOnceAfterRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
            let store = "sqlite:" + directory.path("triage.sqlite")
            // 1. A receiver-only process accepts the webhook (answering only once it is on disk) and is killed.
            let receiver = try TriageProcess(["serve", "--config", config, "--store", store, "--port", "0", "--role", "receiver"])
            let port = try await receiver.listeningPort()
            let response = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)/webhooks/alertmanager",
                    headers: [("Content-Type", "application/json")],
                    body: try Fixtures.bytes("payloads/alertmanager-firing.json")))
            #expect(response.status == 202)
            receiver.send(SIGKILL)
            _ = try await receiver.waitForExit()
            #expect(sink.received.isEmpty)

            // 2. A full process on the same file finds the queued incident, triages and delivers it.
            let full = try TriageProcess(["serve", "--config", config, "--store", store, "--port", "0"])
            _ = try await full.listeningPort()
            for _ in 0..<1000 where sink.received.isEmpty {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(sink.received.count == 1)
            // Give a duplicate every chance to appear before counting.
            try await Task.sleep(for: .milliseconds(700))
            full.send(SIGTERM)
            #expect(try await full.waitForExit() == 0)
            #expect(sink.received.count == 1)
            #expect(sink.received.first?.path == "/acme")

            let counts = try await SQLiteStore(path: directory.path("triage.sqlite")).counts()
            #expect(counts["incident"] == 1)
            #expect(counts["decision"] == 1)
            #expect(counts["outboxMessage"] == 1)
            #expect(counts["deliveryAttempt"] == 1)
        }
    }

    @Test func aProcessKilledMidDeliveryDeliversAgainUnderTheSameKeyAfterRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink(holdFirst: 1)  // the first delivery hangs until released
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ConfigDirectory.write(
                in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)",
                delivery: "initial_backoff: 200ms, connect_timeout: 1s, timeout: 2s, lease: 6s")
            let store = "sqlite:" + directory.path("triage.sqlite")
            let first = try TriageProcess(["serve", "--config", config, "--store", store, "--port", "0"])
            let port = try await first.listeningPort()
            let response = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)/webhooks/alertmanager",
                    headers: [("Content-Type", "application/json")],
                    body: try Fixtures.bytes("payloads/alertmanager-firing.json")))
            #expect(response.status == 202)
            for _ in 0..<1000 where sink.received.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            #expect(sink.received.count == 1)
            // Killed while the vendor has the request and before its answer: the attempt is never recorded.
            first.send(SIGKILL)
            _ = try await first.waitForExit()
            sink.releaseHeld()
            let pending = try await SQLiteStore(path: directory.path("triage.sqlite")).outboxEntries(status: "pending", limit: 10)
            #expect(pending.count == 1)
            #expect(pending.first?.attempts == 0)

            // The next process takes the message over once the dead one's lease (6 s) runs out.
            let second = try TriageProcess(["serve", "--config", config, "--store", store, "--port", "0"])
            _ = try await second.listeningPort()
            for _ in 0..<1500 where sink.received.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(500))  // a third delivery would show up here
            second.send(SIGTERM)
            #expect(try await second.waitForExit() == 0)

            // Delivered at least once, and both copies carry one idempotency key for the vendor to drop the repeat.
            #expect(sink.received.count == 2)
            let keys = sink.received.compactMap { $0.headers["idempotency-key"] }
            #expect(keys.count == 2)
            #expect(Set(keys).count == 1)
            let delivered = try await SQLiteStore(path: directory.path("triage.sqlite")).outboxEntries(status: "delivered", limit: 10)
            #expect(delivered.map(\.id) == [keys[0]])
            #expect(delivered.first?.attempts == 1)
        }
    }

    @Test(arguments: [
        (["serve", "--port", "70000"], "--port 70000: must be 0...65535"),
        (["serve", "--store", "mysql://db"], "--store 'mysql://db': expected sqlite:PATH"),
        (["serve", "--role", "boss"], "--role 'boss': expected receiver, worker or all"),
        (["serve", "--store", "postgres://db/triage"], "--store postgres://…: no user: expected postgres://USER@HOST[:PORT]/DATABASE"),
        (["serve", "--work-lease", "0"], "--work-lease 0: must be 1...3600 seconds"),
        (["serve", "--log-format", "xml"], "--log-format 'xml': expected text or json"),
        (["migrate", "--from", "postgres://a@b/c", "--to", "postgres://a@b/d"], "--from: expected sqlite:PATH"),
        (["serve", "--bogus"], "Unknown option '--bogus'"),
    ])
    func badFlagsSayWhatIsWrong(_ arguments: [String], _ message: String) async throws {
        let result = try await TriageProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
    }

    @Test func anUnreachableDatabaseIsReportedWithoutItsPassword() async throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let result = try await TriageProcess.run([
            "serve", "--config", Fixtures.rulesDirectory, "--store", "postgres://triage:hunter2@127.0.0.1:1/triage?connect_timeout=2", "--port", "0",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot open store postgres://triage@127.0.0.1:1/triage: "), "stderr was: \(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
        #expect(!result.stdout.contains("hunter2"))
    }

    @Test func badConfigurationIsReportedWithLocationsAndExitCode() async throws {
        let bad = Fixtures.projectRoot.appendingPathComponent("fixtures/rules/bad").path
        let check = try await TriageProcess.run(["rules", "check", "--config", bad])
        #expect(check.status == 1)
        let expected = try String(contentsOfFile: bad + "/expected.txt", encoding: .utf8)
            .replacingOccurrences(of: "DIR", with: bad)
        #expect(check.stderr == expected)
        let serve = try await TriageProcess.run(["serve", "--config", bad, "--port", "0"])
        #expect(serve.status == 2)
        #expect(serve.stderr.contains(expected))
    }

    @Test func sampleConfigurationChecksClean() async throws {
        let result = try await TriageProcess.run(["rules", "check", "--config", Fixtures.rulesDirectory])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("OK (11 sources, 5 vendors, 12 rules in 3 groups)\n"))
    }

    @Test func ruleTestsPassOnTheSampleAndFailWithADiff() async throws {
        let pass = try await TriageProcess.run(["rules", "test", "--config", Fixtures.rulesDirectory])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.hasSuffix(" passed, 0 failed\n"))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let failing = directory.path("failing.yaml")
        try """
            tests:
              - name: wrong on purpose
                incident: {source: alertmanager, title: Postgres down, labels: {team: billing}}
                expect: {priority: P4, vendor: globex-infra}
            """.write(toFile: failing, atomically: true, encoding: .utf8)
        let fail = try await TriageProcess.run(["rules", "test", "--config", Fixtures.rulesDirectory, failing])
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("FAIL wrong on purpose (\(failing):2)"))
        #expect(fail.stdout.contains("  - priority: expected P4, got P1"))
        #expect(fail.stdout.contains("  - vendor: expected 'globex-infra', got 'acme-dba'"))
        #expect(fail.stdout.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test func sighupReloadsAndABrokenFileKeepsTheOldRules() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:9")
        let process = try TriageProcess([
            "serve", "--config", config, "--store", "sqlite:" + directory.path("t.sqlite"), "--port", "0",
        ])
        defer { process.send(SIGKILL) }
        _ = try await process.listeningPort()
        process.send(SIGHUP)
        try await waitFor { process.standardError.contains("configuration reloaded") }
        #expect(process.standardError.contains("version=2"))
        try "rules: [oops".write(toFile: config + "/rules.yaml", atomically: true, encoding: .utf8)
        process.send(SIGHUP)
        try await waitFor { process.standardError.contains("configuration reload refused") }
        #expect(process.isRunning)
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }

    func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(20)) }
        #expect(condition())
    }

    @Test func evalPrintsTheContractKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var csv = "short_description,description,group\n"
        for index in 0..<30 {
            csv += "\"postgres replication lag\",\"db-\(index) is slow,\nqueries time out\",dba\n"
            csv += "vpn tunnel down,packet loss on rtr-\(index),network\n"
        }
        let train = directory.path("train.csv")
        try csv.write(toFile: train, atomically: true, encoding: .utf8)
        let test = directory.path("test.jsonl")
        try """
            {"short_description": "replication lag on postgres", "description": "", "group": "dba"}
            {"short_description": "vpn down", "description": "packet loss", "group": "network"}
            """.write(toFile: test, atomically: true, encoding: .utf8)
        let folds = try await TriageProcess.run([
            "eval", "--train", train, "--folds", "3", "--text", "short_description,description", "--label", "group",
            "--format", "json",
        ])
        #expect(folds.status == 0, "\(folds.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(folds.stdout.utf8)) as? [String: Any])
        for key in ["accuracy", "macro_f1", "coverage", "precision_at_threshold", "coverage_at_precision_90", "per_label"] {
            #expect(report[key] != nil, "missing \(key)")
        }
        #expect(report["accuracy"] as? Double == 1)
        #expect((report["per_label"] as? [String: Any])?.keys.sorted() == ["dba", "network"])
        #expect(folds.stderr.contains("fold 3: fit"))
        let held = try await TriageProcess.run([
            "eval", "--train", train, "--test", test, "--text", "short_description,description", "--label", "group",
        ])
        #expect(held.status == 0, "\(held.stderr)")
        #expect(held.stdout.contains("accuracy"))
        let bad = try await TriageProcess.run(["eval", "--train", train, "--folds", "3", "--text", "summary", "--label", "group"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("summary"))
    }

    @Test func helpDescribesEveryServeFlag() async throws {
        let result = try await TriageProcess.run(["serve", "--help"])
        for flag in ["--config", "--store", "--host", "--port", "--role", "--log-level"] {
            #expect(result.stdout.contains(flag))
        }
    }
}
