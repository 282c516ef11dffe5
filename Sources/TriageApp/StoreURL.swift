/// Where incidents are stored: `sqlite:PATH` (the embedded default) or, in a later build,
/// `postgres://user@host:port/db` for several instances.
public enum StoreURL: Equatable, Sendable {
    case sqlite(path: String)

    public static let defaultValue = "sqlite:./data/triage.sqlite"

    /// Parses a `--store` value; the error says what is wrong and what is accepted.
    public init(parsing text: String) throws(StoreURLError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw StoreURLError("--store \(text): sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            throw StoreURLError("--store: PostgreSQL is not available in this build yet; use sqlite:PATH")
        } else {
            throw StoreURLError("--store '\(text)': expected sqlite:PATH (for example \(Self.defaultValue))")
        }
    }
}

public struct StoreURLError: Error, CustomStringConvertible, Equatable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
