import Testing
import TriageStorePostgres

/// `--store postgres://…` parsing: what is accepted, and errors that say what is wrong without
/// ever repeating a password.
struct PostgresSettingsTests {
    @Test func aFullURLIsParsed() throws {
        let settings = try PostgresSettings(
            url: "postgres://triage:s3cret@db.internal:6543/incidents?sslmode=require&pool_max=40&connect_timeout=3",
            environment: [:])
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.username == "triage")
        #expect(settings.password == "s3cret")
        #expect(settings.database == "incidents")
        #expect(settings.tls == .require)
        #expect(settings.maximumConnections == 40)
        #expect(settings.connectTimeout == 3)
        #expect(settings.redacted == "postgres://triage@db.internal:6543/incidents")
    }

    @Test func defaultsSuitLoopbackAndRemoteServers() throws {
        let local = try PostgresSettings(url: "postgresql://triage@127.0.0.1/triage", environment: [:])
        #expect(local.port == 5432)
        #expect(local.tls == .disable)
        #expect(local.password == nil)
        #expect(local.maximumConnections == 16)
        let remote = try PostgresSettings(url: "postgres://triage@[2001:db8::5]:5433/triage", environment: [:])
        #expect(remote.host == "2001:db8::5")
        #expect(remote.port == 5433)
        #expect(remote.tls == .prefer)
        #expect(remote.redacted == "postgres://triage@[2001:db8::5]:5433/triage")
    }

    @Test func thePasswordComesFromTheEnvironment() throws {
        let named = try PostgresSettings(
            url: "postgres://triage@db/triage?password_env=TRIAGE_DB_PASSWORD", environment: ["TRIAGE_DB_PASSWORD": "from-env"])
        #expect(named.password == "from-env")
        let standard = try PostgresSettings(url: "postgres://triage@db/triage", environment: ["PGPASSWORD": "pg-env"])
        #expect(standard.password == "pg-env")
        #expect(throws: PostgresSettingsError(description: "password_env: environment variable NOPE is not set")) {
            try PostgresSettings(url: "postgres://triage@db/triage?password_env=NOPE", environment: [:])
        }
    }

    @Test(arguments: [
        ("mysql://triage@db/triage", "expected postgres://USER@HOST[:PORT]/DATABASE"),
        ("postgres://db/triage", "no user: expected postgres://USER@HOST[:PORT]/DATABASE"),
        ("postgres://triage@db", "no database: expected postgres://USER@HOST[:PORT]/DATABASE"),
        ("postgres://triage@db:99999/triage", "port '99999' is not 1...65535"),
        ("postgres://triage@db/triage?sslmode=verify-full", "sslmode 'verify-full': expected disable, prefer or require"),
        ("postgres://triage@db/triage?pool_max=0", "pool_max '0': expected 1...1000"),
        ("postgres://triage@db/triage?connect_timeout=0", "connect_timeout '0': expected 1...600 seconds"),
        ("postgres://triage@db/triage?timeout=3", "unknown parameter 'timeout' (known: sslmode, pool_max, password_env, connect_timeout)"),
        ("postgres://triage:hunter2@db/triage?password_env=X", "give the password in the URL or password_env, not both"),
    ])
    func badURLsSayWhatIsWrong(_ url: String, _ message: String) {
        #expect(throws: PostgresSettingsError(description: message)) {
            try PostgresSettings(url: url, environment: ["X": "x"])
        }
    }

    @Test func noErrorRepeatsAPassword() {
        for url in [
            "postgres://triage:hunter2@db:0/triage", "postgres://triage:hunter2@db/triage?sslmode=no",
            "postgres://triage:hunter2@db/",
        ] {
            do {
                _ = try PostgresSettings(url: url, environment: [:])
                Issue.record("\(url) was accepted")
            } catch {
                #expect(!error.description.contains("hunter2"), "\(error.description)")
            }
        }
    }
}
