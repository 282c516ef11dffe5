import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TriageCore
import TriageCurl

extension SimulateVendorCommand {
    /// Plays the vendor's callbacks: acknowledge, then resolve, for each incident it is given.
    /// A service so that graceful shutdown cancels what is still waiting.
    final class Player: Service {
        struct Job: Sendable {
            var incident: String
            var vendor: String
            var receivedAt: ContinuousClock.Instant
        }

        struct CallbackBody: Encodable {
            var eventID: String
            var action: String
            var actor: String
            var comment: String

            enum CodingKeys: String, CodingKey {
                case action, actor, comment
                case eventID = "event_id"
            }
        }

        let settings: Settings
        let token: String?
        let client: CurlHTTPClient
        private let jobs: AsyncStream<Job>
        private let continuation: AsyncStream<Job>.Continuation
        /// Incident → the callback it waits to send.
        private let pending = Mutex<[String: String]>([:])

        init(settings: Settings, token: String?, client: CurlHTTPClient = CurlHTTPClient()) {
            self.settings = settings
            self.token = token
            self.client = client
            let (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
            self.jobs = jobs
            self.continuation = continuation
        }

        func schedule(_ job: Job) {
            pending.withLock { $0[job.incident] = "acknowledge" }
            continuation.yield(job)
        }

        func run() async throws {
            await cancelWhenGracefulShutdown {
                await withDiscardingTaskGroup { group in
                    for await job in self.jobs {
                        group.addTask { await self.play(job) }
                    }
                }
            }
            continuation.finish()
            for (incident, action) in pending.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
                say("shutting down: cancelled the pending \(action) of \(incident)")
            }
        }

        func play(_ job: Job) async {
            do {
                try await Task.sleep(until: job.receivedAt.advanced(by: settings.ackAfter), clock: .continuous)
                await call("acknowledge", job)
                pending.withLock { $0[job.incident] = "resolve" }
                try await Task.sleep(until: job.receivedAt.advanced(by: settings.resolveAfter), clock: .continuous)
                await call("resolve", job)
                pending.withLock { _ = $0.removeValue(forKey: job.incident) }
            } catch {
                // Cancelled by the shutdown; run() lists what was left.
            }
        }

        /// Posts one callback, trying again (same event id, so harmlessly) after a transport error or a 5xx.
        func call(_ action: String, _ job: Job) async {
            let eventID = "sim-\(job.incident)-\(action == "acknowledge" ? "ack" : action)"
            let after = action == "acknowledge" ? settings.ackText : settings.resolveText
            let body = CallbackBody(
                eventID: eventID, action: action, actor: "simulate-vendor", comment: "simulated: \(action) \(after) after delivery")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let bytes = try? encoder.encode(body) else { return }
            var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("X-Triage-Vendor", job.vendor)]
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            let request = HTTPClientRequest(
                method: "POST", url: "\(settings.triage)/api/incidents/\(job.incident)/events", headers: headers,
                body: Array(bytes), connectTimeout: .seconds(2), timeout: .seconds(10))
            let head = "callback \(action) incident=\(job.incident) as \(job.vendor) event=\(eventID)"
            let attempts = 3
            for attempt in 1...attempts {
                let outcome: String
                var again = false
                do {
                    let response = try await client.execute(request)
                    outcome = describe(response, vendor: job.vendor)
                    again = response.status >= 500
                } catch {
                    outcome = "no answer from \(settings.triage): \(error)"
                    again = true
                }
                if again, attempt < attempts, !Task.isCancelled {
                    say("\(head) → \(outcome); trying again in 1s (\(attempt)/\(attempts))")
                    guard (try? await Task.sleep(for: .seconds(1))) != nil else { return }
                    continue
                }
                say("\(head) → \(outcome)")
                return
            }
        }

        /// The answer's status and outcome (or the error's detail) on one line.
        func describe(_ response: HTTPClientResponse, vendor: String) -> String {
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            let text = String(decoding: response.body, as: UTF8.self)
            let detail = json["detail"] as? String ?? text
            switch response.status {
            case 200 where json["outcome"] as? String == "applied":
                return "200 applied: \(json["from"] as? String ?? "?") → \(json["to"] as? String ?? "?")"
            case 200 where json["outcome"] as? String == "duplicate":
                return "200 duplicate: already done (\(json["previous"] as? String ?? "?"))"
            case 401:
                let variable = settings.tokenEnv
                let hint =
                    "triage takes the token only for a vendor whose vendors.yaml entry has callback: {token_env: \(variable)}"
                    + " and when its own $\(variable) is the same" + (token == nil ? "; $\(variable) is not set for the simulator" : "")
                return "401 REFUSED as \(vendor): \(detail) (\(hint))"
            case 409:
                return "409 illegal transition: \(detail)"
            default:
                let code = (json["error"] as? String).map { " \($0)" } ?? ""
                return "\(response.status)\(code): \(detail)"
            }
        }
    }
}
