import Foundation
import TriageCore
import TriageEngine

/// Delivers outbox messages with ``CurlHTTPClient``: JSON body, idempotency key, optional headers
/// and HMAC signature whose values come from environment variables named in the configuration,
/// and the target's own CA bundle. Targets are vendors and sources' write-backs.
public struct CurlVendorNotifier: VendorNotifier {
    let client: CurlHTTPClient
    let targets: [String: DeliveryTarget]
    let settings: DeliverySettings
    let environment: @Sendable (String) -> String?
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - environment: Reads a variable; `ProcessInfo`'s environment in production.
    ///   - now: The clock used for signature timestamps.
    public init(
        client: CurlHTTPClient,
        vendors: [Vendor],
        writeBacks: [WriteBack] = [],
        notify: [NotifyEndpoint] = [],
        settings: DeliverySettings,
        environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        let all = vendors.map(\.deliveryTarget) + writeBacks.map(\.target) + notify.map(\.target)
        self.targets = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.settings = settings
        self.environment = environment
        self.now = now
    }

    public func deliver(_ message: OutboxMessage) async -> Result<Int, DeliveryFailure> {
        await deliverReceipt(message).0
    }

    public func deliverReceipt(_ message: OutboxMessage) async -> (Result<Int, DeliveryFailure>, externalRef: String?) {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "triage/0.1"),
            ("Idempotency-Key", message.id),
            ("X-Triage-Incident-Id", message.incidentID.rawValue),
        ]
        let target = targets[message.vendor]
        if let target {
            for (header, variable) in target.headerEnv.sorted(by: { $0.key < $1.key }) {
                guard let value = environment(variable), !value.isEmpty else {
                    return (.failure(
                        DeliveryFailure(reason: .auth, message: "header \(header): environment variable \(variable) is not set")), nil)
                }
                // A line break would smuggle extra header lines into the request. Scalars, not
                // Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
                guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                    return (.failure(
                        DeliveryFailure(reason: .auth, message: "header \(header): environment variable \(variable) contains a line break")), nil)
                }
                headers.append((header, value))
            }
            if let variable = target.signingSecretEnv {
                guard let secret = environment(variable), !secret.isEmpty else {
                    return (.failure(
                        DeliveryFailure(reason: .auth, message: "signing secret: environment variable \(variable) is not set")), nil)
                }
                let timestamp = Int(now().timeIntervalSince1970)
                headers += DeliverySignature.headers(secret: secret, body: message.body, timestamp: timestamp)
            }
        }
        let request = HTTPClientRequest(
            method: message.method,
            url: message.endpoint,
            headers: headers,
            body: message.body,
            connectTimeout: settings.connectTimeout,
            timeout: settings.requestTimeout,
            caBundle: target?.caBundle
        )
        do {
            let response = try await client.execute(request)
            if var failure = DeliveryFailure.classify(status: response.status) {
                failure.retryAfter = DeliveryFailure.retryAfter(response.header("Retry-After"), now: now())
                return (.failure(failure), nil)
            }
            return (.success(response.status), ExternalReference.read(response.body))
        } catch let error as CurlError {
            return (.failure(DeliveryFailure(reason: Self.reason(for: error.kind), message: error.message)), nil)
        } catch {
            return (.failure(DeliveryFailure(reason: .transport, message: "delivery could not start")), nil)
        }
    }

    static func reason(for kind: CurlError.Kind) -> DeliveryFailure.Reason {
        switch kind {
        case .timeout: .timeout
        case .refused: .refused
        case .dns: .dns
        case .tls: .tls
        case .httpStatus: .serverError
        case .invalidRequest: .clientError
        case .transport: .transport
        }
    }
}
