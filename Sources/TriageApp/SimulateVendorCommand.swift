import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TriageCore
import TriageCurl
import TriageHTTP
import UnixSignals

/// `triage simulate-vendor`: a stand-in vendor that receives deliveries like `triage sink` and plays
/// its part of the lifecycle: it acknowledges, then resolves, each new incident through the callback
/// API after set delays, and can answer a share of deliveries 503 to show the dispatcher's retries.
///
/// A demo tool: its timers are `Task.sleep` on the real clock, and pending callbacks are dropped
/// (and listed) on shutdown.
struct SimulateVendorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-vendor",
        abstract: "Run a stand-in vendor that acknowledges and resolves what it receives through the callback API.",
        discussion: """
            Listens like `triage sink` (the sample vendors deliver to http://127.0.0.1:9101/<vendor>) and prints \
            one line per delivery: status, path, incident id, idempotency key. For each new incident (by \
            incident id: retries repeat) it posts to <triage>/api/incidents/{id}/events, as the vendor the \
            delivery path stands for, `acknowledge` after --ack-after and `resolve` after --resolve-after \
            (both counted from the delivery), with event ids sim-<id>-ack and sim-<id>-resolve. Escalation \
            notices, write-backs and notifications are only printed.

            One bearer token, read from the variable named by --token-env, is sent for every vendor. triage \
            accepts it only for a vendor whose vendors.yaml entry has `callback: {token_env: VAR}` and when \
            triage's VAR holds the same value; callbacks as any other vendor are refused 401.
            """
    )

    /// Where the sample vendors in rules/vendors.yaml deliver, and who they are.
    static let defaultVendors: [(path: String, name: String)] = [
        ("/acme", "acme-dba"), ("/globex", "globex-infra"), ("/initech", "initech-apps"),
        ("/umbrella", "umbrella-apps"), ("/hooli", "hooli-legacy"),
    ]

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on, 1...65535 (the sample vendors deliver to 9101).")
    var port = 9101

    @Option(name: .long, help: "Base URL of the triage service to call back.")
    var triage = "http://127.0.0.1:8080"

    @Option(name: .long, help: "How long after a new incident's delivery to acknowledge it (250ms, 30s, 2m, 1h30m).")
    var ackAfter = "30s"

    @Option(name: .long, help: "How long after the delivery to resolve it; not shorter than --ack-after.")
    var resolveAfter = "2m"

    @Option(name: .long, help: "Share of requests (0...1) answered 503, to watch the dispatcher retry.")
    var failRate = 0.0

    @Option(name: .long, help: "Environment variable holding the bearer token sent with every callback.")
    var tokenEnv = "ACME_CALLBACK_TOKEN"

    @Option(
        name: .long,
        help: ArgumentHelp(
            """
            Which vendor a delivery path stands for; repeat, or separate with commas. Given ones replace the \
            defaults: /acme=acme-dba,/globex=globex-infra,/initech=initech-apps,/umbrella=umbrella-apps,/hooli=hooli-legacy
            """,
            valueName: "PATH=NAME"))
    var vendorFor: [String] = []

    @Option(name: .long, help: "Seed for the --fail-rate draws, to fail the same requests on every run.")
    var seed: UInt64?

    /// The flags, checked and parsed.
    struct Settings: Sendable {
        var host: String
        var port: Int
        /// The triage base URL, without a trailing slash.
        var triage: String
        var ackAfter: Duration
        var resolveAfter: Duration
        /// The durations as given, for messages.
        var ackText: String
        var resolveText: String
        var failRate: Double
        var tokenEnv: String
        var seed: UInt64
        /// First path component (`/acme`) → vendor name.
        var vendors: [String: String]
    }

    func validate() throws {
        _ = try parsedSettings()
    }

    func parsedSettings() throws -> Settings {
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        guard (1...65535).contains(port) else { throw ValidationError("--port \(port): must be 1...65535") }
        guard (0.0...1.0).contains(failRate) else {
            throw ValidationError("--fail-rate \(failRate): must be between 0 and 1")
        }
        guard let ack = DurationText.parse(ackAfter), ack > .zero else {
            throw ValidationError("--ack-after '\(ackAfter)': expected a duration above zero, such as 30s, 2m or 1h30m")
        }
        guard let resolve = DurationText.parse(resolveAfter), resolve > .zero else {
            throw ValidationError("--resolve-after '\(resolveAfter)': expected a duration above zero, such as 2m or 1h")
        }
        guard resolve >= ack else {
            throw ValidationError(
                "--resolve-after \(resolveAfter) is shorter than --ack-after \(ackAfter): the resolve comes after the acknowledge")
        }
        guard !tokenEnv.isEmpty, tokenEnv.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw ValidationError("--token-env '\(tokenEnv)': expected an environment variable name, such as ACME_CALLBACK_TOKEN")
        }
        let base = try Self.triageBase(triage)
        let vendors = try Self.vendorMap(vendorFor)
        return Settings(
            host: host, port: port, triage: base, ackAfter: ack, resolveAfter: resolve, ackText: ackAfter,
            resolveText: resolveAfter, failRate: failRate, tokenEnv: tokenEnv,
            seed: seed ?? UInt64.random(in: UInt64.min...UInt64.max), vendors: vendors)
    }

    /// `--triage`: an http(s) URL with a host and, if any, a port 1...65535; returned without a trailing slash.
    static func triageBase(_ text: String) throws -> String {
        let base = text.hasSuffix("/") ? String(text.dropLast()) : text
        let problem = ValidationError("--triage '\(text)': expected the service's base URL, such as http://127.0.0.1:8080")
        guard let components = URLComponents(string: base), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else { throw problem }
        if let port = components.port, !(1...65535).contains(port) {
            throw ValidationError("--triage '\(text)': port \(port) must be 1...65535")
        }
        return base
    }

    /// `--vendor-for` values (or the defaults) as first path component → vendor name.
    static func vendorMap(_ values: [String]) throws -> [String: String] {
        let entries =
            values.isEmpty
            ? defaultVendors.map { "\($0.path)=\($0.name)" }
            : values.flatMap { $0.split(separator: ",").map(String.init) }
        var map: [String: String] = [:]
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--vendor-for '\(entry)': expected PATH=NAME, such as /acme=acme-dba")
            }
            let path = parts[0].hasPrefix("/") ? parts[0] : "/" + parts[0]
            guard path.count > 1, !path.dropFirst().contains("/") else {
                throw ValidationError("--vendor-for '\(entry)': PATH is one path component, such as /acme")
            }
            map[path] = parts[1]
        }
        return map
    }

    func run() async throws {
        let settings = try parsedSettings()
        let logger = Logger(label: "triage.simulate-vendor")
        let token = ProcessInfo.processInfo.environment[settings.tokenEnv].flatMap { $0.isEmpty ? nil : $0 }
        if token == nil {
            FileHandle.standardError.write(
                Data(
                    """
                    warning: $\(settings.tokenEnv) is not set: callbacks go without a token and triage will refuse them (401). \
                    Set it to the value triage has for the vendor's callback token_env.

                    """.utf8))
        }
        let player = Player(settings: settings, token: token)
        let desk = Desk(settings: settings, player: player)
        let vendor = SimulatedVendor { received in desk.answer(received) }
        let app = vendor.application(host: settings.host, port: settings.port, logger: logger) { port in
            say("triage simulate-vendor listening on http://\(settings.host):\(port)")
            let vendors = settings.vendors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            say("  vendors: \(vendors)")
            say(
                "  calls back \(settings.triage): acknowledge after \(settings.ackText), resolve after \(settings.resolveText)"
                    + ", token from $\(settings.tokenEnv)" + (token == nil ? " (NOT SET)" : ""))
            if settings.failRate > 0 {
                say("  answers 503 to \(Int((settings.failRate * 100).rounded()))% of requests (--seed \(settings.seed))")
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                // Graceful shutdown runs in reverse: the pending callbacks are cancelled first, then the listener stops.
                services: [.init(service: app), .init(service: player)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// One line on standard output, written at once (unbuffered, so pipes see it immediately).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension SimulateVendorCommand {
    /// Answers each request, prints it, and hands each new incident to the ``Player``.
    final class Desk: Sendable {
        private struct State {
            var seen: Set<String> = []
            var generator: SplitMix64
        }

        private let state: Mutex<State>
        let settings: Settings
        let player: Player

        init(settings: Settings, player: Player) {
            self.state = Mutex(State(generator: SplitMix64(seed: settings.seed)))
            self.settings = settings
            self.player = player
        }

        /// The status to answer `received` with.
        func answer(_ received: VendorSink.Received) -> Int {
            let rate = settings.failRate
            let fail = rate > 0 && state.withLock { Double.random(in: 0..<1, using: &$0.generator) < rate }
            let json = (try? JSONSerialization.jsonObject(with: Data(received.body))) as? [String: Any]
            let incident = Self.incidentID(in: received, json: json)
            let key = received.headers["idempotency-key"] ?? "-"
            let status = fail ? 503 : 200
            let head = "\(status) \(received.method) \(received.path) incident=\(incident ?? "?") key=\(key)"
            if fail {
                say("\(head): simulated failure; triage will retry")
                return status
            }
            if json?["type"] as? String == "sla.escalation" {
                say("\(head): escalation notice (\(json?["step"] as? String ?? "?")); logged, not acknowledged")
                return status
            }
            let prefix = "/" + (received.path.split(separator: "/").first.map(String.init) ?? "")
            guard let vendor = settings.vendors[prefix] else {
                say("\(head): no vendor for \(prefix) (a write-back or a notification); logged only")
                return status
            }
            if let json, json.count == 1, json["body"] != nil || json["work_notes"] != nil {
                say("\(head): a write-back comment, not an assignment; logged only")
                return status
            }
            guard let incident else {
                say("\(head): no incident id in the delivery; nothing to call back")
                return status
            }
            guard state.withLock({ $0.seen.insert(incident).inserted }) else {
                say("\(head): \(vendor) has seen this incident (a retry or an update); nothing new scheduled")
                return status
            }
            say("\(head): new for \(vendor); acknowledge in \(settings.ackText), resolve in \(settings.resolveText)")
            player.schedule(Player.Job(incident: incident, vendor: vendor, receivedAt: ContinuousClock().now))
            return status
        }

        /// The `X-Triage-Incident-Id` header, else the generic message's `incident.id`, else the
        /// first incident id quoted in the body (Jira, ServiceNow, Slack and template formats).
        static func incidentID(in received: VendorSink.Received, json: [String: Any]?) -> String? {
            if let header = received.headers["x-triage-incident-id"], let id = IncidentID(header) { return id.rawValue }
            if let part = json?["incident"] as? [String: Any], let text = part["id"] as? String, let id = IncidentID(text) {
                return id.rawValue
            }
            return quotedIncidentIDs(in: received.bodyText).first
        }

        /// Runs of 26 letters and digits that are incident ids (ULIDs), first first; the idea of
        /// `VendorFeedback.quotedIncidentIDs`, over raw text.
        static func quotedIncidentIDs(in text: String) -> [String] {
            var found: [String] = []
            var run = ""
            for character in text + " " {
                if character.isASCII, character.isLetter || character.isNumber {
                    run.append(character)
                    continue
                }
                if run.count == 26, let id = IncidentID(run), !found.contains(id.rawValue) { found.append(id.rawValue) }
                run = ""
            }
            return found
        }
    }
}
