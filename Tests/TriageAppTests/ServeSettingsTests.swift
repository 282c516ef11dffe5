import Foundation
import Logging
import Testing
import TriageApp
import TriageStoreSQLite
import TriageTesting

/// `triage serve` settings: flag over environment over default, and the messages for bad values.
struct ServeSettingsTests {
    typealias Flags = ServeSettings.Flags

    @Test func nothingGivenMeansTheDefaults() throws {
        let settings = try ServeSettings.resolve(Flags(), environment: [:])
        #expect(settings == ServeSettings.defaults)
        #expect(settings.port == 8080)
        #expect(settings.config == "rules")
        #expect(settings.store == "sqlite:./data/triage.sqlite")
        #expect(settings.logFormat == .text)
        #expect(settings.logLevel == .info)
    }

    static let everyVariable: [String: String] = [
        "TRIAGE_CONFIG": "/etc/triage/rules",
        "TRIAGE_STORE": "sqlite:/var/lib/triage/triage.sqlite",
        "TRIAGE_HOST": "0.0.0.0",
        "TRIAGE_PORT": "9000",
        "TRIAGE_ROLE": "worker",
        "TRIAGE_SQLITE_SYNC": "normal",
        "TRIAGE_WORK_LEASE": "120",
        "TRIAGE_LOG_LEVEL": "debug",
        "TRIAGE_LOG_FORMAT": "json",
    ]

    @Test func everyVariableIsRead() throws {
        let settings = try ServeSettings.resolve(Flags(), environment: Self.everyVariable)
        let expected = ServeSettings(
            config: "/etc/triage/rules", store: "sqlite:/var/lib/triage/triage.sqlite", host: "0.0.0.0", port: 9000,
            role: .worker, sqliteSync: .normal, workLease: 120, logLevel: .debug, logFormat: .json)
        #expect(settings == expected)
    }

    @Test func theVariableNamesComeFromTheFlags() {
        #expect(Set(ServeSettings.Setting.allCases.map(\.variable)) == Set(Self.everyVariable.keys))
        #expect(ServeSettings.Setting.sqliteSync.flag == "--sqlite-sync")
        #expect(ServeSettings.Setting.workLease.variable == "TRIAGE_WORK_LEASE")
        #expect(ServeSettings.Setting.port.helpNote == "(default: 8080; environment: TRIAGE_PORT)")
    }

    @Test func everyFlagWinsOverItsVariable() throws {
        let flags = Flags(
            config: "mine", store: "sqlite:/tmp/x.sqlite", host: "::1", port: 0, role: "receiver", sqliteSync: "full",
            workLease: 5, logLevel: "warning", logFormat: "text")
        let settings = try ServeSettings.resolve(flags, environment: Self.everyVariable)
        let expected = ServeSettings(
            config: "mine", store: "sqlite:/tmp/x.sqlite", host: "::1", port: 0, role: .receiver, sqliteSync: .full,
            workLease: 5, logLevel: .warning, logFormat: .text)
        #expect(settings == expected)
    }

    @Test func flagsAndVariablesMix() throws {
        let settings = try ServeSettings.resolve(
            Flags(port: 7000), environment: ["TRIAGE_PORT": "9000", "TRIAGE_ROLE": "worker"])
        #expect(settings.port == 7000)
        #expect(settings.role == .worker)
        #expect(settings.host == "127.0.0.1")
    }

    @Test func anEmptyVariableCountsAsUnset() throws {
        let empty = Dictionary(uniqueKeysWithValues: Self.everyVariable.keys.map { ($0, "") })
        #expect(try ServeSettings.resolve(Flags(), environment: empty) == ServeSettings.defaults)
    }

    @Test func otherVariablesAreIgnored() throws {
        let settings = try ServeSettings.resolve(Flags(), environment: ["PORT": "1", "triage_port": "2", "TRIAGE_PORTS": "3"])
        #expect(settings.port == 8080)
    }

    @Test(arguments: [
        ("TRIAGE_PORT", "abc", "TRIAGE_PORT=abc: expected a port 0...65535"),
        ("TRIAGE_PORT", "70000", "TRIAGE_PORT=70000: must be 0...65535"),
        ("TRIAGE_PORT", "-1", "TRIAGE_PORT=-1: must be 0...65535"),
        ("TRIAGE_ROLE", "boss", "TRIAGE_ROLE='boss': expected receiver, worker or all"),
        ("TRIAGE_SQLITE_SYNC", "off", "TRIAGE_SQLITE_SYNC='off': expected full or normal"),
        ("TRIAGE_WORK_LEASE", "0", "TRIAGE_WORK_LEASE=0: must be 1...3600 seconds"),
        ("TRIAGE_WORK_LEASE", "1m", "TRIAGE_WORK_LEASE=1m: expected whole seconds 1...3600"),
        ("TRIAGE_LOG_LEVEL", "verbose", "TRIAGE_LOG_LEVEL='verbose': expected trace, debug, info, notice, warning, error or critical"),
        ("TRIAGE_LOG_FORMAT", "xml", "TRIAGE_LOG_FORMAT='xml': expected text or json"),
        ("TRIAGE_STORE", "mysql://db", "TRIAGE_STORE='mysql://db': expected sqlite:PATH"),
        ("TRIAGE_STORE", "sqlite:", "TRIAGE_STORE=sqlite:: sqlite: needs a file path"),
    ])
    func aBadVariableNamesTheVariable(_ variable: String, _ value: String, _ message: String) throws {
        let error = #expect(throws: ServeSettingsError.self) {
            try ServeSettings.resolve(Flags(), environment: [variable: value])
        }
        #expect(error?.problems.count == 1)
        #expect(error?.description.hasPrefix(message) == true, "was: \(error?.description ?? "no error")")
    }

    @Test(arguments: [
        (Flags(port: 70000), "--port 70000: must be 0...65535"),
        (Flags(role: "boss"), "--role 'boss': expected receiver, worker or all"),
        (Flags(sqliteSync: "off"), "--sqlite-sync 'off': expected full or normal"),
        (Flags(workLease: 0), "--work-lease 0: must be 1...3600 seconds"),
        (Flags(logLevel: "verbose"), "--log-level 'verbose': expected trace, debug, info, notice, warning, error or critical"),
        (Flags(logFormat: "xml"), "--log-format 'xml': expected text or json"),
        (Flags(store: "mysql://db"), "--store 'mysql://db': expected sqlite:PATH"),
    ])
    func aBadFlagNamesTheFlag(_ flags: Flags, _ message: String) throws {
        let error = #expect(throws: ServeSettingsError.self) {
            try ServeSettings.resolve(flags, environment: [:])
        }
        #expect(error?.description.hasPrefix(message) == true, "was: \(error?.description ?? "no error")")
    }

    @Test func aGoodFlagHidesABadVariable() throws {
        let settings = try ServeSettings.resolve(Flags(port: 1234), environment: ["TRIAGE_PORT": "abc"])
        #expect(settings.port == 1234)
    }

    @Test func everyBadValueIsListedOnce() throws {
        let error = #expect(throws: ServeSettingsError.self) {
            try ServeSettings.resolve(
                Flags(role: "boss"), environment: ["TRIAGE_PORT": "abc", "TRIAGE_LOG_FORMAT": "xml", "TRIAGE_ROLE": "worker"])
        }
        #expect(
            error?.problems == [
                "TRIAGE_PORT=abc: expected a port 0...65535",
                "--role 'boss': expected receiver, worker or all",
                "TRIAGE_LOG_FORMAT='xml': expected text or json",
            ])
    }

    @Test func aStoreErrorFromTheEnvironmentDoesNotShowThePassword() throws {
        let error = #expect(throws: ServeSettingsError.self) {
            try ServeSettings.resolve(Flags(), environment: ["TRIAGE_STORE": "postgres://:hunter2@db/triage"])
        }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("TRIAGE_STORE=postgres://…: "), "was: \(message)")
        #expect(!message.contains("hunter2"))
    }

    @Test func thePasswordVariableOfAStoreURLIsLookedUpInTheGivenEnvironment() throws {
        let url = "postgres://triage@db.internal/triage?password_env=TRIAGE_DB_PASSWORD"
        let settings = try ServeSettings.resolve(
            Flags(), environment: ["TRIAGE_STORE": url, "TRIAGE_DB_PASSWORD": "s3cret"])
        #expect(settings.store == url)
        let error = #expect(throws: ServeSettingsError.self) {
            try ServeSettings.resolve(Flags(), environment: ["TRIAGE_STORE": url])
        }
        #expect(error?.description == "TRIAGE_STORE=postgres://…: password_env: environment variable TRIAGE_DB_PASSWORD is not set")
    }

    @Test func theReadmeTableListsEverySettingWithItsFlagAndDefault() throws {
        let readme = try String(contentsOf: Fixtures.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for setting in ServeSettings.Setting.allCases {
            let row = "| `\(setting.variable)` | `\(setting.flag)` | `\(setting.defaultText)` |"
            #expect(readme.contains(row), "README has no row \(row)")
        }
    }
}
