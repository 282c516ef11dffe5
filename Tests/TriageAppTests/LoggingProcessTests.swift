import Foundation
import Testing
import TriageTesting

/// The real executable with `--log-format json` and settings from the environment.
struct LoggingProcessTests {
    @Test func jsonLogsAtTheLevelFromTheEnvironmentAreOneObjectPerLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let process = try TriageProcess(
            [
                "serve", "--config", Fixtures.rulesDirectory, "--store", "sqlite:" + directory.path("triage.sqlite"),
                "--port", "0", "--log-format", "json",
            ],
            environment: ["TRIAGE_LOG_LEVEL": "debug"])
        _ = try await process.listeningPort()
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)

        let stderr = process.standardError
        #expect(stderr.hasSuffix("\n"), "stderr was: \(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        var levels: [String] = []
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            if let level = object?["level"] as? String { levels.append(level) }
            #expect(object?["ts"] is String && object?["msg"] is String && object?["label"] is String, "\(line)")
        }
        #expect(levels.contains("debug"), "no debug line, so TRIAGE_LOG_LEVEL was not applied: \(stderr)")
        #expect(levels.contains("info"))
    }

    @Test func aBadVariableIsRefusedNamingIt() async throws {
        let process = try TriageProcess(["serve", "--config", Fixtures.rulesDirectory], environment: ["TRIAGE_PORT": "abc"])
        #expect(try await process.waitForExit() == 64)
        #expect(process.standardError.contains("TRIAGE_PORT=abc: expected a port 0...65535"), "\(process.standardError)")
    }
}
