import Foundation
import TriageStorePostgres

/// Where incidents are stored: `sqlite:PATH` (the embedded default, one process) or
/// `postgres://USER@HOST[:PORT]/DATABASE` (any number of receivers and workers).
public enum StoreURL: Equatable, Sendable {
    case sqlite(path: String)
    case postgres(PostgresSettings)

    public static let defaultValue = "sqlite:./data/triage.sqlite"

    /// Parses a `--store` value; the error says what is wrong and what is accepted, never a password.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreURLError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw StoreURLError("--store \(text): sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do {
                self = .postgres(try PostgresSettings(url: text, environment: environment))
            } catch {
                throw StoreURLError("--store postgres://…: \(error.description)")
            }
        } else {
            throw StoreURLError(
                "--store '\(text)': expected sqlite:PATH (for example \(Self.defaultValue)) or postgres://USER@HOST[:PORT]/DATABASE")
        }
    }

    /// The store as logs show it: the path, or the URL without its password.
    public var redacted: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let settings): settings.redacted
        }
    }
}

public struct StoreURLError: Error, CustomStringConvertible, Equatable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
