import ArgumentParser
import Foundation
import TriageConfig
import TriageCore

/// `triage rules …`: work with the configuration without running anything.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check the configuration and run rule tests.",
        subcommands: [Check.self, Test.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration directory; print every problem as file:line:column: message."
        )

        @Option(name: .long, help: "Directory holding sources.yaml, vendors.yaml and rules.yaml.")
        var config = "rules"

        func run() async throws {
            do {
                let loaded = try ConfigLoader.load(directory: config)
                let problems = TemplateCheck.problems(loaded, directory: config)
                guard problems.isEmpty else {
                    FileHandle.standardError.write(Data((problems.joined(separator: "\n") + "\n").utf8))
                    throw ExitCode(1)
                }
                print(
                    "\(config): OK (\(loaded.sources.count) sources, \(loaded.vendors.count) vendors, "
                        + "\(loaded.rules.rules.count) rules in \(loaded.rules.groups.count) "
                        + "group\(loaded.rules.groups.count == 1 ? "" : "s"))"
                )
            } catch let error as ConfigError {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run rule tests: each gives an incident (and an instant) and the decision it must get.",
            discussion: "With no FILES, runs every *.yaml under CONFIG/tests. Exits 1 when a test fails."
        )

        @Option(name: .long, help: "Directory holding sources.yaml, vendors.yaml and rules.yaml.")
        var config = "rules"

        @Flag(name: .long, help: "Print the explanation of passing tests too.")
        var verbose = false

        @Argument(help: "Test files or directories (default: CONFIG/tests).")
        var files: [String] = []

        func run() async throws {
            let configuration: TriageConfiguration
            let cases: [RuleTestCase]
            do {
                configuration = try ConfigLoader.load(directory: config)
                cases = try RuleTestsSection.load(files.isEmpty ? [config + "/tests"] : files)
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            }
            let policy = configuration.policy
            var failed = 0
            for test in cases {
                let (differences, decision) = test.failures(under: policy)
                if differences.isEmpty {
                    print("PASS \(test.name)")
                    if verbose { for line in decision.explanation { print("       \(line)") } }
                    continue
                }
                failed += 1
                print("FAIL \(test.name) (\(test.origin))")
                for line in differences { print("  - \(line)") }
                print("  explanation:")
                for line in decision.explanation { print("       \(line)") }
            }
            print("\(cases.count - failed) passed, \(failed) failed")
            if failed > 0 || cases.isEmpty {
                if cases.isEmpty { FileHandle.standardError.write(Data("no rule tests found\n".utf8)) }
                throw ExitCode(1)
            }
        }
    }
}
