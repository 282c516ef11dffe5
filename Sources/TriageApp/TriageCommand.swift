import ArgumentParser

/// `triage`: the incident triage and routing worker.
public struct TriageCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Receives incident webhooks, triages them with rules, assigns vendors and delivers.",
        subcommands: [ServeCommand.self, RulesCommand.self, SinkCommand.self, SimulateVendorCommand.self, RejectedCommand.self, BenchCommand.self, EvalCommand.self, ExportCommand.self, ImportCommand.self, ReassignCommand.self, OutboxCommand.self, SLACommand.self, DryRunCommand.self, ReportCommand.self, ReplayCommand.self, MigrateCommand.self, AuditCommand.self, RetentionCommand.self, PayloadKeysCommand.self]
    )

    public init() {}
}

extension TriageCommand {
    /// Parses `CommandLine.arguments` and runs the chosen command (the executable's only line).
    public static func start() async {
        await main()
    }
}
