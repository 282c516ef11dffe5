import Foundation

/// Where the PostgreSQL store connects, parsed from a `postgres://` URL.
///
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE?sslmode=disable|prefer|require&pool_max=N&password_env=VAR&connect_timeout=S`.
/// The password is better kept out of the URL: `password_env=VAR` names an environment variable
/// that holds it, and `PGPASSWORD` is read when neither is given. No error or log line shows it.
public struct PostgresSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP (loopback or a private network).
        case disable
        /// TLS when the server offers it.
        case prefer
        /// TLS with the server's certificate verified against the system's roots; refused otherwise.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Connections this process keeps at most.
    public var maximumConnections: Int
    /// Seconds to wait for a connection before giving up (at start, and per connection).
    public var connectTimeout: Int = 10

    public init(
        host: String, port: Int = 5432, username: String, password: String? = nil, database: String,
        tls: TLSMode = .disable, maximumConnections: Int = 16
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.maximumConnections = maximumConnections
    }

    /// Parses a store URL; errors say what is wrong without repeating a password.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresSettingsError) {
        var rest = Substring(text)
        if rest.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else if rest.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else {
            throw PostgresSettingsError("expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw PostgresSettingsError("query parameter '\(pair)' has no value") }
                query[String(parts[0])] = String(parts[1]).removingPercentEncoding ?? String(parts[1])
            }
            rest = rest[..<mark]
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw PostgresSettingsError("no user: expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        let userInfo = rest[..<at]
        let location = rest[rest.index(after: at)...]
        let userParts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let user = String(userParts[0]).removingPercentEncoding ?? String(userParts[0])
        guard !user.isEmpty else { throw PostgresSettingsError("the user name is empty") }
        var password = userParts.count == 2 ? (String(userParts[1]).removingPercentEncoding ?? String(userParts[1])) : nil
        guard let slash = location.firstIndex(of: "/") else {
            throw PostgresSettingsError("no database: expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        let database = String(location[location.index(after: slash)...])
        guard !database.isEmpty else { throw PostgresSettingsError("the database name is empty") }
        let hostPort = location[..<slash]
        var host = String(hostPort)
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = String(hostPort[..<colon])
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(number) else {
                throw PostgresSettingsError("port '\(hostPort[hostPort.index(after: colon)...])' is not 1...65535")
            }
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw PostgresSettingsError("the host is empty") }
        let tls: TLSMode
        if let mode = query.removeValue(forKey: "sslmode") {
            guard let parsed = TLSMode(rawValue: mode) else {
                throw PostgresSettingsError("sslmode '\(mode)': expected disable, prefer or require")
            }
            tls = parsed
        } else {
            tls = host == "127.0.0.1" || host == "localhost" || host == "::1" ? .disable : .prefer
        }
        var maximum = 16
        if let value = query.removeValue(forKey: "pool_max") {
            guard let number = Int(value), (1...1000).contains(number) else {
                throw PostgresSettingsError("pool_max '\(value)': expected 1...1000")
            }
            maximum = number
        }
        var connectTimeout = 10
        if let value = query.removeValue(forKey: "connect_timeout") {
            guard let number = Int(value), (1...600).contains(number) else {
                throw PostgresSettingsError("connect_timeout '\(value)': expected 1...600 seconds")
            }
            connectTimeout = number
        }
        if let variable = query.removeValue(forKey: "password_env") {
            guard password == nil else { throw PostgresSettingsError("give the password in the URL or password_env, not both") }
            guard let value = environment[variable], !value.isEmpty else {
                throw PostgresSettingsError("password_env: environment variable \(variable) is not set")
            }
            password = value
        } else if password == nil, let value = environment["PGPASSWORD"], !value.isEmpty {
            password = value
        }
        if let unknown = query.keys.sorted().first {
            throw PostgresSettingsError(
                "unknown parameter '\(unknown)' (known: sslmode, pool_max, password_env, connect_timeout)")
        }
        self.init(
            host: host, port: port, username: user, password: password, database: database, tls: tls,
            maximumConnections: maximum)
        self.connectTimeout = connectTimeout
    }

    /// The URL without its password (for logs, and for servers that need none).
    public var redacted: String {
        "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> PostgresSettings {
        var copy = self
        copy.database = database
        return copy
    }
}

public struct PostgresSettingsError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(description: String) {
        self.description = description
    }

    init(_ description: String) {
        self.description = description
    }
}
