import Synchronization
import TriageEngine

/// Group commit: intakes that arrive while a write is in flight wait and go into the next
/// transaction together, so N concurrent webhooks cost one fsync instead of N.
///
/// There is no timer and no added latency: a lone request is written at once; the batch grows
/// only while the disk is busy with the previous one. Each caller is answered after the
/// transaction holding its intake has committed.
final class IntakeBatcher: Sendable {
    typealias Waiter = CheckedContinuation<IntakeReceipt, any Error>
    typealias Write = @Sendable ([Intake]) async throws -> [Result<IntakeReceipt, any Error>]

    struct State {
        var pending: [(Intake, Waiter)] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let write: Write
    let maxBatch: Int

    init(maxBatch: Int = 256, write: @escaping Write) {
        self.maxBatch = maxBatch
        self.write = write
    }

    func submit(_ intake: Intake) async throws -> IntakeReceipt {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let startWriter = state.withLock { state in
                state.pending.append((intake, waiter))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startWriter {
                Task { await self.drain() }
            }
        }
    }

    /// Writes batches until nothing is pending, then stands down.
    private func drain() async {
        while true {
            let batch: [(Intake, Waiter)] = state.withLock { state in
                guard !state.pending.isEmpty else {
                    state.writing = false
                    return []
                }
                let taken = Array(state.pending.prefix(maxBatch))
                state.pending.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            do {
                let results = try await write(batch.map(\.0))
                for ((_, waiter), result) in zip(batch, results) {
                    waiter.resume(with: result)
                }
            } catch {
                for (_, waiter) in batch { waiter.resume(throwing: error) }
            }
        }
    }
}
