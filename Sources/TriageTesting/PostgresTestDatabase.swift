import Foundation
import Logging
import Testing
import TriageStorePostgres

/// Fresh databases on the PostgreSQL server `make test` starts (`scripts/with-postgres.sh` sets
/// `TRIAGE_TEST_POSTGRES`). Each call creates a new, empty database, so tests never see each
/// other's rows.
public enum PostgresTestDatabase {
    static let environment = ProcessInfo.processInfo.environment

    /// The server's URL; `nil` outside `make test` (the suites then skip, saying why).
    public static var url: String? { environment["TRIAGE_TEST_POSTGRES"] }

    /// Whether the suites run: always under `make test` (`TRIAGE_REQUIRE_POSTGRES=1`), where a
    /// missing server is a failure, not a skip.
    public static var available: Bool { url != nil || environment["TRIAGE_REQUIRE_POSTGRES"] == "1" }

    public static let skipReason: Comment =
        "no PostgreSQL: set TRIAGE_TEST_POSTGRES (make test starts a throwaway server with scripts/with-postgres.sh)"

    /// Settings of a new, empty database on the test server.
    public static func freshSettings(_ prefix: String = "t") async throws -> PostgresSettings {
        guard let url else {
            throw PostgresSettingsError(description: "TRIAGE_REQUIRE_POSTGRES=1 but TRIAGE_TEST_POSTGRES is not set")
        }
        let base = try PostgresSettings(url: url)
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await PostgresStore.createDatabase(name, on: base)
        return base.with(database: name)
    }

    /// A migrated store on a new, empty database.
    public static func fresh() async throws -> PostgresStore {
        try await PostgresStore.open(try await freshSettings())
    }
}
