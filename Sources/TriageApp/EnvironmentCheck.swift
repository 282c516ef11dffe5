import TriageConfig
import TriageCore

/// Start-up warnings for environment variables the configuration names but the process lacks.
/// Names the variable, never its value.
enum EnvironmentCheck {
    static func missing(in configuration: TriageConfiguration, environment: [String: String]) -> [String] {
        var warnings: [String] = []
        for vendor in configuration.vendors {
            for (header, variable) in vendor.headerEnv.sorted(by: { $0.key < $1.key })
            where (environment[variable] ?? "").isEmpty {
                warnings.append(
                    "vendor '\(vendor.name)': \(variable) (header \(header)) is not set; deliveries will fail")
            }
            if let variable = vendor.signingSecretEnv, (environment[variable] ?? "").isEmpty {
                warnings.append("vendor '\(vendor.name)': \(variable) (signing secret) is not set; deliveries will fail")
            }
        }
        return warnings
    }
}
