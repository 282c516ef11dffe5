import Synchronization

/// What the senders know: which webhook keys were answered 2xx (accepted) and which were not
/// (an error, no answer, or another status), and how many requests are on the wire right now.
final class CrashLedger: Sendable {
    private struct State {
        var accepted: Set<Int> = []
        var notAccepted: Set<Int> = []
        var statuses: [Int: Int] = [:]
        var failures = 0
        var inFlight = 0
    }

    private let state = Mutex(State())

    /// Accepted webhook keys (`k-N` is the dedup key of key N).
    var accepted: Set<Int> { state.withLock { $0.accepted } }
    /// Keys sent but not answered 2xx.
    var notAccepted: Set<Int> { state.withLock { $0.notAccepted } }
    /// Requests sent and finished (answered or failed).
    var sent: Int { state.withLock { $0.accepted.count + $0.notAccepted.count } }
    /// Requests on the wire now: a kill at this moment lands during ingest.
    var inFlight: Int { state.withLock { $0.inFlight } }
    /// Answers by status, and requests that got none (`failures`).
    var answers: (statuses: [Int: Int], failures: Int) { state.withLock { ($0.statuses, $0.failures) } }

    func starting() { state.withLock { $0.inFlight += 1 } }

    /// Records the outcome of key `n`: its status, or `nil` for an error or no answer.
    func finished(_ n: Int, status: Int?) {
        state.withLock { state in
            state.inFlight -= 1
            if let status {
                state.statuses[status, default: 0] += 1
            } else {
                state.failures += 1
            }
            if let status, (200..<300).contains(status) {
                state.accepted.insert(n)
            } else {
                state.notAccepted.insert(n)
            }
        }
    }
}
