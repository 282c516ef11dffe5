import Foundation
import Logging
import Synchronization
import Testing
import TriageApp

/// `JSONLogHandler`: every line is one valid JSON object, escaped, flattened, redacted, never interleaved.
struct JSONLogHandlerTests {
    /// Collects what the handler writes, as the handler hands it over.
    final class Collected: Sendable {
        private let bytes = Mutex<[UInt8]>([])
        private let calls = Mutex(0)

        var output: JSONLogHandler.Output {
            JSONLogHandler.Output { [self] line in
                bytes.withLock { $0.append(contentsOf: line) }
                calls.withLock { $0 += 1 }
            }
        }

        var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
        var writeCount: Int { calls.withLock { $0 } }
        var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }

        /// Each line parsed back with JSONSerialization (a line that does not parse fails the test).
        func objects() throws -> [[String: Any]] {
            try lines.map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                return try #require(object as? [String: Any], "not an object: \(line)")
            }
        }
    }

    /// 2026-11-29T12:00:00.123Z.
    static let instant = Date(timeIntervalSince1970: 1_795_953_600.123)

    func logger(_ collected: Collected, label: String = "triage", provider: Logger.MetadataProvider? = nil) -> Logger {
        var logger = Logger(label: label) { label in
            JSONLogHandler(label: label, output: collected.output, metadataProvider: provider, now: { Self.instant })
        }
        logger.logLevel = .trace
        return logger
    }

    @Test func aLineIsOneJSONObjectWithTheFixedFieldsFirstAndSortedMetadata() throws {
        let collected = Collected()
        logger(collected).info("starting", metadata: ["zeta": "1", "alpha": "2", "Mid": "3"])
        #expect(collected.writeCount == 1)
        #expect(
            collected.text
                == #"{"ts":"2026-11-29T12:00:00.123Z","level":"info","label":"triage","msg":"starting","Mid":"3","alpha":"2","zeta":"1","source":"TriageAppTests"}"#
                + "\n")
        let object = try #require(try collected.objects().first)
        #expect(object["msg"] as? String == "starting")
        #expect(object["level"] as? String == "info")
        #expect(object["source"] as? String == "TriageAppTests")
    }

    @Test(arguments: [Logger.Level.trace, .debug, .info, .notice, .warning, .error, .critical])
    func everyLevelIsNamed(_ level: Logger.Level) throws {
        let collected = Collected()
        logger(collected).log(level: level, "x")
        #expect(try collected.objects().first?["level"] as? String == level.rawValue)
    }

    @Test func quotesNewlinesControlCharactersAndEmojiSurviveTheRoundTrip() throws {
        let message = "say \"hi\"\\ back\nnext\tline\r\u{0}\u{1}\u{8}\u{C}\u{1B}[31m\u{1F}\u{7F} é 日本 🚨👩‍💻"
        let collected = Collected()
        logger(collected).warning("\(message)", metadata: ["title": "\(message)", "key\n\"x\"": "v"])
        #expect(collected.lines.count == 1)
        let object = try #require(try collected.objects().first)
        #expect(object["msg"] as? String == message)
        #expect(object["title"] as? String == message)
        #expect(object["key\n\"x\""] as? String == "v")
        let raw = collected.text
        #expect(raw.contains(#"say \"hi\"\\ back\nnext\tline\r\u0000\u0001\b\f\u001b[31m\u001f"#))
        // Non-ASCII stays UTF-8, not \u escapes.
        #expect(raw.contains("é 日本 🚨👩‍💻"))
        #expect(!raw.contains(#"\ud83d"#))
    }

    @Test func nestedMetadataIsFlattenedToAJSONString() throws {
        let collected = Collected()
        logger(collected).info(
            "nested",
            metadata: [
                "labels": ["team": "db", "env": "prod"],
                "items": ["a", ["k": "v"], ["x", "y"]],
                "count": .stringConvertible(42),
            ])
        let object = try #require(try collected.objects().first)
        #expect(object["labels"] as? String == #"{"env":"prod","team":"db"}"#)
        #expect(object["items"] as? String == #"["a",{"k":"v"},["x","y"]]"#)
        #expect(object["count"] as? String == "42")
        let labels = try JSONSerialization.jsonObject(with: Data(try #require(object["labels"] as? String).utf8))
        #expect(labels as? [String: String] == ["env": "prod", "team": "db"])
    }

    @Test func secretLookingKeysAreRedactedAtEveryDepth() throws {
        let collected = Collected()
        logger(collected).info(
            "request",
            metadata: [
                "Authorization": "Bearer abc123", "api_token": "tok-1", "client_secret": "sec-2", "DB_PASSWORD": "pw-3",
                "Set-Cookie": "session=c-4", "headers": ["X-Auth-Token": "tok-5", "accept": "json"],
                "path": "/webhooks/github",
            ])
        let object = try #require(try collected.objects().first)
        for key in ["Authorization", "api_token", "client_secret", "DB_PASSWORD", "Set-Cookie"] {
            #expect(object[key] as? String == "[redacted]", "\(key)")
        }
        #expect(object["headers"] as? String == #"{"X-Auth-Token":"[redacted]","accept":"json"}"#)
        #expect(object["path"] as? String == "/webhooks/github")
        for secret in ["abc123", "tok-1", "sec-2", "pw-3", "c-4", "tok-5"] {
            #expect(!collected.text.contains(secret), "\(secret) was written")
        }
    }

    @Test func metadataNamedLikeAFixedFieldDoesNotDuplicateIt() throws {
        let collected = Collected()
        logger(collected).warning("no credentials", metadata: ["source": "github", "msg": "other", "level": "x"])
        let line = try #require(collected.lines.first)
        #expect(line.components(separatedBy: #""source":"#).count == 2)
        let object = try #require(try collected.objects().first)
        #expect(object["source"] as? String == "TriageAppTests")
        #expect(object["metadata.source"] as? String == "github")
        #expect(object["msg"] as? String == "no credentials")
        #expect(object["metadata.msg"] as? String == "other")
        #expect(object["level"] as? String == "warning")
    }

    @Test func handlerProviderAndCallMetadataMergeWithTheCallWinning() throws {
        let collected = Collected()
        let provider = Logger.MetadataProvider { ["request": "r-1", "shared": "provider"] }
        var logger = logger(collected, provider: provider)
        logger[metadataKey: "instance"] = "a"
        logger[metadataKey: "shared"] = "handler"
        logger.info("merged", metadata: ["shared": "call"])
        let object = try #require(try collected.objects().first)
        #expect(object["instance"] as? String == "a")
        #expect(object["request"] as? String == "r-1")
        #expect(object["shared"] as? String == "call")
    }

    @Test func linesBelowTheLevelAreNotWritten() throws {
        let collected = Collected()
        var logger = logger(collected)
        logger.logLevel = .notice
        logger.info("hidden")
        logger.debug("hidden")
        logger.notice("shown")
        #expect(try collected.objects().map { $0["msg"] as? String } == ["shown"])
    }

    @Test func timestampsAreUTCWithMilliseconds() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // Leap days, year ends, the epoch and a few arbitrary instants (whole milliseconds, as logged).
        let milliseconds: [Int64] = [
            0, 951_782_400_000, 951_868_799_999, 1_709_164_800_500, 1_735_689_599_999, 1_795_953_600_123,
            4_102_444_800_000, 253_402_300_799_000,
        ] + (0..<200).map { _ in Int64.random(in: 0..<4_102_444_800_000) }
        for value in milliseconds {
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(value / 1000)))
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, Int(value % 1000))
            let date = Date(timeIntervalSince1970: Double(value) / 1000)
            let collected = Collected()
            let handler = JSONLogHandler(label: "t", output: collected.output, now: { date })
            Logger(label: "t") { _ in handler }.info("x")
            let ts = try #require(try collected.objects().first?["ts"] as? String)
            #expect(ts == expected, "\(value) ms")
        }
    }

    @Test func eightTasksOfFiveHundredLinesGiveFourThousandWholeLines() async throws {
        let collected = Collected()
        let logger = logger(collected)
        let padding = String(repeating: "x", count: 300)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<500 {
                        logger.info("line \(index) \(padding)", metadata: ["task": "\(task)", "index": "\(index)"])
                    }
                }
            }
        }
        let objects = try collected.objects()
        #expect(objects.count == 4000)
        #expect(collected.writeCount == 4000)
        let seen = Set(objects.compactMap { object -> String? in
            guard let task = object["task"] as? String, let index = object["index"] as? String,
                object["msg"] as? String == "line \(index) \(padding)"
            else { return nil }
            return "\(task)/\(index)"
        })
        #expect(seen.count == 4000)
    }
}
