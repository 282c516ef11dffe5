import Foundation
import TriageCore

/// Sends one outbox message to its vendor. Implementations classify every failure.
public protocol VendorNotifier: Sendable {
    /// - Returns: The HTTP status of a 2xx answer, or the classified failure.
    func deliver(_ message: OutboxMessage) async -> Result<Int, DeliveryFailure>

    /// Like ``deliver(_:)``, with the vendor's id for what it created when its answer says.
    func deliverReceipt(_ message: OutboxMessage) async -> (Result<Int, DeliveryFailure>, externalRef: String?)
}

extension VendorNotifier {
    public func deliverReceipt(_ message: OutboxMessage) async -> (Result<Int, DeliveryFailure>, externalRef: String?) {
        (await deliver(message), nil)
    }
}

/// Reads the id a vendor's API gives back for what it created: Jira `key` (else `id`), ServiceNow
/// `result.sys_id`, GitHub `number`, or a top-level `id`.
public enum ExternalReference {
    public static func read(_ body: [UInt8]) -> String? {
        guard !body.isEmpty, body.count <= 1 << 20, let value = try? JSONValue.parse(body), case .object(let object) = value
        else { return nil }
        func text(_ value: JSONValue?) -> String? {
            switch value {
            case .string(let string): return string.isEmpty ? nil : string
            case .number(let number): return number == number.rounded() ? String(Int64(number)) : nil
            default: return nil
            }
        }
        if let key = text(object["key"]) { return key }
        if case .object(let result) = object["result"], let id = text(result["sys_id"]) ?? text(result["number"]) { return id }
        return text(object["number"]) ?? text(object["id"])
    }
}
