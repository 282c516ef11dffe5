import ArgumentParser
import Foundation
import TriageConfig
import TriageCore

/// `triage rules …`: work with the configuration without running anything.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check the rule, vendor and source configuration.",
        subcommands: [Check.self]
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
                print(
                    "\(config): OK (\(loaded.sources.count) sources, \(loaded.vendors.count) vendors, "
                        + "\(loaded.rules.rules.count) rules)"
                )
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            }
        }
    }
}
