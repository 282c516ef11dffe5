import ArgumentParser
import Foundation
import TriageConfig
import TriageCore

/// `triage bench rules`: per-incident evaluation cost as the rule count grows, indexed against the
/// naive evaluate-every-rule baseline, on one core. Build with `-c release` for real figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure components (not a test).", subcommands: [Rules.self, ClassifierBench.self, AssignmentBench.self, DeliveryBench.self, TimerBench.self, ClusterBench.self, RedactionBench.self])

    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rule evaluation cost per incident at several rule counts, indexed vs naive.")

        @Option(name: .long, help: "Rule counts, comma-separated.")
        var sizes = "10,100,1000,10000"

        @Option(name: .long, help: "Distinct incidents evaluated per round.")
        var incidents = 2000

        @Option(name: .long, help: "Minimum measuring time per cell, in seconds.")
        var seconds = 1.0

        @Flag(name: .long, help: "Measure without building explanations (the worker always builds them).")
        var noExplain = false

        func validate() throws {
            guard parsedSizes != nil else { throw ValidationError("--sizes '\(sizes)': expected numbers like 10,100,1000") }
            guard (1...1_000_000).contains(incidents) else { throw ValidationError("--incidents must be 1...1000000") }
            guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be in (0, 60]") }
        }

        var parsedSizes: [Int]? {
            let values = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
            return values.compactMap { $0 }
        }

        func run() async throws {
            let zone = (try? TimeZoneLoader.load("Europe/Paris")) ?? .utc
            let calendar = BusinessCalendar(
                name: "office", zone: zone, weekly: [.monday: [try ClockRange.parse("09:00-18:00")]], holidays: [],
                alwaysOpen: false)
            var bench = RuleBenchmark(seed: 7)
            let sample = bench.incidents(count: incidents)
            let now = Date(timeIntervalSince1970: 1_767_614_400)
            print("rule evaluation, one core, \(incidents) distinct incidents, explanations \(noExplain ? "off" : "on")")
            print(
                ["rules", "indexed µs", "naive µs", "speed-up", "incidents/s", "matched"]
                    .enumerated().map { pad($1, [8, 12, 12, 10, 14, 9][$0]) }.joined(separator: " "))
            var baseline: Double?
            for size in parsedSizes ?? [] {
                let set = bench.rules(count: size, calendar: calendar)
                var matched = 0
                for incident in sample {
                    let a = set.evaluate(incident, at: now, explain: false, useIndex: true)
                    let b = set.evaluate(incident, at: now, explain: false, useIndex: false)
                    guard a.outcome == b.outcome, a.matched == b.matched else {
                        FileHandle.standardError.write(Data("index and naive evaluation disagree at \(size) rules\n".utf8))
                        throw ExitCode(1)
                    }
                    matched += a.matched.count
                }
                let indexed = measure(set, sample, now, useIndex: true)
                let naive = measure(set, sample, now, useIndex: false)
                if baseline == nil { baseline = indexed }
                print(
                    String(
                        format: "%8d %12.2f %12.2f %9.1fx %14.0f %9.1f", size, indexed * 1e6, naive * 1e6, naive / indexed,
                        1 / indexed, Double(matched) / Double(sample.count)))
            }
            if let baseline, let sizes = parsedSizes, sizes.contains(1000), sizes.contains(10) {
                let set = bench.rules(count: 1000, calendar: calendar)
                let at1000 = measure(set, sample, now, useIndex: true)
                print(String(format: "per-incident time at 1,000 rules / at 10 rules: %.1fx (target <= 10x)", at1000 / baseline))
            }
        }

        func pad(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }

        /// Seconds per incident: whole passes over the sample until `seconds` have gone by.
        func measure(_ set: RuleSet, _ sample: [Incident], _ now: Date, useIndex: Bool) -> Double {
            let clock = ContinuousClock()
            var evaluated = 0
            var sink = 0
            let start = clock.now
            var elapsed = Duration.zero
            repeat {
                for incident in sample {
                    sink &+= set.evaluate(incident, at: now, explain: !noExplain, useIndex: useIndex).matched.count
                }
                evaluated += sample.count
                elapsed = clock.now - start
            } while elapsed < .seconds(seconds)
            if sink == -1 { print("") }
            let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return total / Double(evaluated)
        }
    }
}
