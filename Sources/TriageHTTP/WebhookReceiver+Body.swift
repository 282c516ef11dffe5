import Hummingbird
import NIOCore

/// A body that did not arrive in time.
struct BodyTimeout: Error {}

extension WebhookReceiver {
    /// Reads the whole body, at most `maxBytes`, within `deadline` of real time (this is about
    /// network I/O, not business time, so it does not use the service's clock). The reading task
    /// is cancelled at the deadline, which ends the body stream; the answer then closes the
    /// connection, so a sender dripping bytes holds nothing for longer than the deadline.
    static func collect(_ body: RequestBody, upTo maxBytes: Int, within deadline: Duration) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: maxBytes) }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else { throw BodyTimeout() }
            return buffer
        }
    }
}
