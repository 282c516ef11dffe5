import Foundation
import Metrics
import TriageEngine

/// Group commit: writes that arrive while a write is in flight wait and go into the next
/// transaction together, so N concurrent webhooks (or recorded delivery attempts) cost one fsync
/// instead of N.
///
/// One dedicated writer thread takes whatever is pending, writes it in one transaction and
/// answers each caller after the commit. There is no timer and no added latency: a lone request
/// is written at once; a batch grows only while the disk is busy with the previous one. The
/// thread (not a task) keeps the cooperative pool free while SQLite waits on fsync.
final class GroupCommit<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    typealias Waiter = CheckedContinuation<Output, any Error>
    typealias Write = @Sendable ([Input]) throws -> [Result<Output, any Error>]

    // Guarded by `condition`.
    private var pending: [(Input, Waiter)] = []
    private var stopped = false
    private let condition = NSCondition()
    private let write: Write
    let maxBatch: Int
    /// Transactions written and items in them: their ratio is the average batch size.
    private let transactions: Counter
    private let items: Counter

    /// - Parameters:
    ///   - name: Names the writer thread (`triage-<name>-writer`).
    ///   - metrics: The labels of the transaction and item counters.
    init(name: String, metrics: (transactions: String, items: String), maxBatch: Int = 256, write: @escaping Write) {
        self.maxBatch = maxBatch
        self.write = write
        self.transactions = Counter(label: metrics.transactions)
        self.items = Counter(label: metrics.items)
        let thread = Thread { [self] in self.run() }
        thread.name = "triage-\(name)-writer"
        thread.start()
    }

    func submit(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            condition.lock()
            if stopped {
                condition.unlock()
                waiter.resume(throwing: StoreClosed())
                return
            }
            pending.append((input, waiter))
            condition.signal()
            condition.unlock()
        }
    }

    /// Lets the writer finish what is pending and end.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty, !stopped { condition.wait() }
            if pending.isEmpty {
                condition.unlock()
                return
            }
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            condition.unlock()
            transactions.increment()
            items.increment(by: batch.count)
            do {
                let results = try write(batch.map(\.0))
                for ((_, waiter), result) in zip(batch, results) {
                    waiter.resume(with: result)
                }
            } catch {
                for (_, waiter) in batch { waiter.resume(throwing: error) }
            }
        }
    }
}

/// The store was closed while a write was waiting.
struct StoreClosed: Error, CustomStringConvertible {
    var description: String { "the store is closed" }
}
