import Foundation
import TriageCore

/// Sends one outbox message to its vendor. Implementations classify every failure.
public protocol VendorNotifier: Sendable {
    /// - Returns: The HTTP status of a 2xx answer, or the classified failure.
    func deliver(_ message: OutboxMessage) async -> Result<Int, DeliveryFailure>
}
