import Foundation
import Testing
import TriageCurl
import TriageTesting

/// `triage simulate-vendor` and `triage serve` as real processes: the simulator receives the
/// delivery, acknowledges and resolves it through the callback API with the vendor's token, and the
/// incident ends resolved by the vendor.
struct SimulatedVendorTests {
    let client = CurlHTTPClient()

    @Test func theSimulatedVendorAcknowledgesThenResolvesThroughTheCallbackAPI() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Each process needs the other's address at start, so both ports are picked first.
        let vendorPort = try FreePort.next()
        let triagePort = try FreePort.next()
        let vendorEndpoint = "http://127.0.0.1:\(vendorPort)"
        let config = try ConfigDirectory.write(in: directory, vendorEndpoint: vendorEndpoint)
        // ConfigDirectory's vendors, with a callback token for acme-dba (which the sample alert goes to).
        try """
            default_vendor: initech-apps
            delivery: { max_attempts: 5, initial_backoff: 200ms, max_backoff: 1s, connect_timeout: 2s, timeout: 5s }
            vendors:
              - name: acme-dba
                endpoint: \(vendorEndpoint)/acme
                skills: [database]
                callback: {token_env: ACME_CALLBACK_TOKEN}
                sla:
                  P1: { acknowledge: 15m, resolve: 4h }
              - name: globex-infra
                endpoint: \(vendorEndpoint)/globex
                skills: [network, infrastructure, storage]
              - name: initech-apps
                endpoint: \(vendorEndpoint)/initech
                skills: [application, access]
            """.write(toFile: config + "/vendors.yaml", atomically: true, encoding: .utf8)
        let environment = ["ACME_CALLBACK_TOKEN": "simulated-vendor-test-token"]

        let vendor = try TriageProcess(
            [
                "simulate-vendor", "--port", "\(vendorPort)", "--triage", "http://127.0.0.1:\(triagePort)",
                "--ack-after", "1s", "--resolve-after", "2s",
            ], environment: environment)
        defer { if vendor.isRunning { vendor.send(SIGKILL) } }
        #expect(try await vendor.listeningPort() == vendorPort)
        let serve = try TriageProcess(
            ["serve", "--config", config, "--store", "sqlite:" + directory.path("triage.sqlite"), "--port", "\(triagePort)"],
            environment: environment)
        defer { if serve.isRunning { serve.send(SIGKILL) } }
        #expect(try await serve.listeningPort() == triagePort)

        let base = "http://127.0.0.1:\(triagePort)"
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: "\(base)/webhooks/alertmanager", headers: [("Content-Type", "application/json")],
                body: try Fixtures.bytes("payloads/alertmanager-firing.json")))
        #expect(response.status == 202)
        let accepted = try JSONDecoder().decode(AcceptedView.self, from: Data(response.body))
        let id = try #require(accepted.incidents.first?.id)

        // Delivered, acknowledged after 1 s, resolved after 2 s: poll for up to 15 s.
        var text = ""
        for _ in 0..<150 {
            let answer = try await client.execute(HTTPClientRequest(url: "\(base)/api/incidents/\(id)"))
            text = String(decoding: answer.body, as: UTF8.self)
            if text.contains(#""phase":"resolved""#) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(
            text.contains(#""phase":"resolved""#),
            "simulator stdout:\n\(vendor.standardOutput)\nsimulator stderr:\n\(vendor.standardError)\nincident:\n\(text)")
        let detail = try JSONDecoder().decode(PhaseView.self, from: Data(text.utf8))
        #expect(detail.events.contains { $0.kind == "acknowledge" && $0.detail.contains("vendor:acme-dba") })
        #expect(detail.events.contains { $0.kind == "resolve" && $0.detail.contains("vendor:acme-dba") })

        // The simulator's own account of it: the delivery, then both callbacks and their answers.
        let printed = vendor.standardOutput
        #expect(printed.contains("200 POST /acme incident=\(id) key=\(id)-1: new for acme-dba"), "\(printed)")
        #expect(
            printed.contains("callback acknowledge incident=\(id) as acme-dba event=sim-\(id)-ack → 200 applied: assigned → acknowledged"),
            "\(printed)")
        #expect(
            printed.contains("callback resolve incident=\(id) as acme-dba event=sim-\(id)-resolve → 200 applied: acknowledged → resolved"),
            "\(printed)")

        // Both stop gracefully on SIGTERM.
        vendor.send(SIGTERM)
        serve.send(SIGTERM)
        #expect(try await vendor.waitForExit() == 0)
        #expect(try await serve.waitForExit() == 0)
    }

    @Test(arguments: [
        (["simulate-vendor", "--fail-rate", "1.5"], "--fail-rate 1.5: must be between 0 and 1"),
        (["simulate-vendor", "--ack-after", "0s"], "--ack-after '0s': expected a duration above zero"),
        (["simulate-vendor", "--ack-after", "2m", "--resolve-after", "1m"], "--resolve-after 1m is shorter than --ack-after 2m"),
        (["simulate-vendor", "--port", "0"], "--port 0: must be 1...65535"),
        (["simulate-vendor", "--triage", "localhost:8080"], "--triage 'localhost:8080': expected the service's base URL"),
        (["simulate-vendor", "--vendor-for", "acme"], "--vendor-for 'acme': expected PATH=NAME"),
    ])
    func badFlagsSayWhichFlagIsWrong(_ arguments: [String], _ message: String) async throws {
        let result = try await TriageProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
    }
}
