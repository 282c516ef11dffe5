import Logging
import TriageStoreSQLite

/// What `triage serve` runs with. Each setting comes from its flag, else from its environment
/// variable (for containers and systemd units), else from its default.
///
/// - Environment variables (an empty one counts as unset):
///   - `TRIAGE_CONFIG` (`--config`, default `rules`): directory holding the rules files
///   - `TRIAGE_STORE` (`--store`, default `sqlite:./data/triage.sqlite`): store URL
///   - `TRIAGE_HOST` (`--host`, default `127.0.0.1`): address to listen on
///   - `TRIAGE_PORT` (`--port`, default `8080`): port to listen on, 0...65535
///   - `TRIAGE_ROLE` (`--role`, default `all`): receiver, worker or all
///   - `TRIAGE_SQLITE_SYNC` (`--sqlite-sync`, default `full`): full or normal
///   - `TRIAGE_WORK_LEASE` (`--work-lease`, default `60`): seconds, 1...3600
///   - `TRIAGE_LOG_LEVEL` (`--log-level`, default `info`): trace ... critical
///   - `TRIAGE_LOG_FORMAT` (`--log-format`, default `text`): text or json
///
/// ```swift
/// let settings = try ServeSettings.resolve(ServeSettings.Flags(port: 9000), environment: ["TRIAGE_PORT": "8081"])
/// // settings.port == 9000: the flag wins over the environment
/// ```
public struct ServeSettings: Equatable, Sendable {
    /// How log lines are written to standard error.
    public enum LogFormat: String, CaseIterable, Sendable {
        /// swift-log's `StreamLogHandler`: one human-readable line per message.
        case text
        /// ``JSONLogHandler``: one JSON object per line.
        case json
    }

    /// A setting's name on the command line and in the environment.
    public enum Setting: String, CaseIterable, Sendable {
        case config, store, host, port, role, sqliteSync, workLease, logLevel, logFormat

        /// The long flag, for example `--sqlite-sync`.
        public var flag: String { "--" + words.joined(separator: "-") }

        /// The environment variable, for example `TRIAGE_SQLITE_SYNC`.
        public var variable: String { "TRIAGE_" + words.joined(separator: "_").uppercased() }

        /// The name split at its capitals: `sqliteSync` is `["sqlite", "sync"]`.
        private var words: [String] {
            rawValue.reduce(into: [""]) { words, character in
                if character.isUppercase { words.append(character.lowercased()) } else { words[words.count - 1].append(character) }
            }
        }

        /// The default as `--help` and the README show it.
        public var defaultText: String {
            let defaults = ServeSettings.defaults
            return switch self {
            case .config: defaults.config
            case .store: defaults.store
            case .host: defaults.host
            case .port: String(defaults.port)
            case .role: defaults.role.rawValue
            case .sqliteSync: defaults.sqliteSync.rawValue
            case .workLease: String(defaults.workLease)
            case .logLevel: defaults.logLevel.rawValue
            case .logFormat: defaults.logFormat.rawValue
            }
        }

        /// The tail of the option's `--help` text: "(default: 8080; environment: TRIAGE_PORT)".
        public var helpNote: String { "(default: \(defaultText); environment: \(variable))" }
    }

    /// The flags as parsed from the command line; `nil` for a flag that was not given.
    public struct Flags: Equatable, Sendable {
        public var config: String?
        public var store: String?
        public var host: String?
        public var port: Int?
        public var role: String?
        public var sqliteSync: String?
        public var workLease: Int?
        public var logLevel: String?
        public var logFormat: String?

        /// Flags with the given values; omitted ones were not given.
        public init(
            config: String? = nil, store: String? = nil, host: String? = nil, port: Int? = nil, role: String? = nil,
            sqliteSync: String? = nil, workLease: Int? = nil, logLevel: String? = nil, logFormat: String? = nil
        ) {
            self.config = config
            self.store = store
            self.host = host
            self.port = port
            self.role = role
            self.sqliteSync = sqliteSync
            self.workLease = workLease
            self.logLevel = logLevel
            self.logFormat = logFormat
        }
    }

    public var config: String
    /// The store URL as given (it may name a password variable; log ``StoreURL/redacted`` instead).
    public var store: String
    public var host: String
    public var port: Int
    public var role: TriageServer.Role
    public var sqliteSync: SQLiteStore.Durability
    /// Seconds a claimed incident or SLA timer stays with this process.
    public var workLease: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat

    /// What `triage serve` uses when neither a flag nor a variable says otherwise.
    public static let defaults = ServeSettings(
        config: "rules", store: StoreURL.defaultValue, host: "127.0.0.1", port: 8080, role: .all, sqliteSync: .full,
        workLease: 60, logLevel: .info, logFormat: .text)

    /// Settings with every value given.
    public init(
        config: String, store: String, host: String, port: Int, role: TriageServer.Role, sqliteSync: SQLiteStore.Durability,
        workLease: Int, logLevel: Logger.Level, logFormat: LogFormat
    ) {
        self.config = config
        self.store = store
        self.host = host
        self.port = port
        self.role = role
        self.sqliteSync = sqliteSync
        self.workLease = workLease
        self.logLevel = logLevel
        self.logFormat = logFormat
    }

    /// Resolves every setting as flag, else environment variable, else default.
    ///
    /// - Parameters:
    ///   - flags: what the command line gave.
    ///   - environment: the process environment (also where `password_env=` in a PostgreSQL store URL is read).
    /// - Throws: ``ServeSettingsError`` listing every bad value, each naming the flag or the variable it came from
    ///   (`--port 70000: must be 0...65535`, `TRIAGE_PORT=abc: expected a port 0...65535`).
    public static func resolve(_ flags: Flags, environment: [String: String]) throws(ServeSettingsError) -> ServeSettings {
        var resolver = Resolver(environment: environment)
        let settings = ServeSettings(
            config: resolver.text(.config, flags.config),
            store: resolver.store(flags.store),
            host: resolver.text(.host, flags.host),
            port: resolver.integer(
                .port, flags.port, default: defaults.port, range: 0...65535, expected: "a port 0...65535", unit: ""),
            role: resolver.choice(.role, flags.role, default: defaults.role, expected: "receiver, worker or all"),
            sqliteSync: resolver.choice(.sqliteSync, flags.sqliteSync, default: defaults.sqliteSync, expected: "full or normal"),
            workLease: resolver.integer(
                .workLease, flags.workLease, default: defaults.workLease, range: 1...3600, expected: "whole seconds 1...3600",
                unit: " seconds"),
            logLevel: resolver.choice(
                .logLevel, flags.logLevel, default: defaults.logLevel,
                expected: "trace, debug, info, notice, warning, error or critical"),
            logFormat: resolver.choice(.logFormat, flags.logFormat, default: defaults.logFormat, expected: "text or json")
        )
        guard resolver.problems.isEmpty else { throw ServeSettingsError(problems: resolver.problems) }
        return settings
    }
}

/// One or more bad `triage serve` settings, each naming its flag or environment variable.
public struct ServeSettingsError: Error, CustomStringConvertible, Equatable {
    /// One line per bad value, in the order of the options.
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

/// Looks each setting up in flag, environment, default order and collects the problems.
private struct Resolver {
    let environment: [String: String]
    var problems: [String] = []

    /// Where a value came from, as an error message names it.
    enum Origin {
        case flag(String)
        case variable(String)

        /// `--role 'boss'` or `TRIAGE_ROLE='boss'` (quoted), `--port 70000` or `TRIAGE_PORT=abc` (bare).
        func naming(_ value: String, quoted: Bool) -> String {
            let shown = quoted ? "'\(value)'" : value
            return switch self {
            case .flag(let flag): "\(flag) \(shown)"
            case .variable(let variable): "\(variable)=\(shown)"
            }
        }
    }

    /// The variable's value, or `nil` when it is unset or empty.
    func variable(_ setting: ServeSettings.Setting) -> String? {
        guard let value = environment[setting.variable], !value.isEmpty else { return nil }
        return value
    }

    /// A string taken as it is.
    func text(_ setting: ServeSettings.Setting, _ flag: String?) -> String {
        flag ?? variable(setting) ?? setting.defaultText
    }

    /// A store URL, checked by ``StoreURL`` (whose messages never show a password).
    mutating func store(_ flag: String?) -> String {
        let setting = ServeSettings.Setting.store
        let (text, origin): (String, Origin?) =
            if let flag { (flag, .flag(setting.flag)) } else if let value = variable(setting) {
                (value, .variable(setting.variable))
            } else { (setting.defaultText, nil) }
        do {
            _ = try StoreURL(parsing: text, environment: environment)
        } catch {
            // StoreURL's messages start with "--store "; name the variable instead when it came from there.
            let message = error.description
            if case .variable(let name) = origin, message.hasPrefix("--store ") {
                problems.append(name + "=" + message.dropFirst("--store ".count))
            } else {
                problems.append(message)
            }
        }
        return text
    }

    /// A whole number in `range`, from an already parsed flag or a variable's text.
    mutating func integer(
        _ setting: ServeSettings.Setting, _ flag: Int?, default fallback: Int, range: ClosedRange<Int>, expected: String,
        unit: String
    ) -> Int {
        let value: Int
        let origin: Origin
        if let flag {
            (value, origin) = (flag, .flag(setting.flag))
        } else if let text = variable(setting) {
            origin = .variable(setting.variable)
            guard let parsed = Int(text) else {
                problems.append("\(origin.naming(text, quoted: false)): expected \(expected)")
                return fallback
            }
            value = parsed
        } else {
            return fallback
        }
        guard range.contains(value) else {
            problems.append("\(origin.naming(String(value), quoted: false)): must be \(range.lowerBound)...\(range.upperBound)\(unit)")
            return fallback
        }
        return value
    }

    /// One of a fixed set of words (an enum's raw values).
    mutating func choice<Value: RawRepresentable>(
        _ setting: ServeSettings.Setting, _ flag: String?, default fallback: Value, expected: String
    ) -> Value where Value.RawValue == String {
        let text: String
        let origin: Origin
        if let flag {
            (text, origin) = (flag, .flag(setting.flag))
        } else if let value = variable(setting) {
            (text, origin) = (value, .variable(setting.variable))
        } else {
            return fallback
        }
        guard let value = Value(rawValue: text) else {
            problems.append("\(origin.naming(text, quoted: true)): expected \(expected)")
            return fallback
        }
        return value
    }
}
