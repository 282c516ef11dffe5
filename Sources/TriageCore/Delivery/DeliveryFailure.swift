import FoundationEssentials

/// Why a delivery to a vendor failed, bucketed the way operators and metrics want it.
public struct DeliveryFailure: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// The endpoint did not answer in time.
        case timeout
        /// Nothing listens at the endpoint (connection refused or reset).
        case refused
        /// The host name did not resolve.
        case dns
        /// The TLS handshake or certificate check failed.
        case tls
        /// The endpoint answered 401 or 403.
        case auth
        /// The endpoint answered 429.
        case rateLimited
        /// The endpoint answered another 4xx: the message itself is wrong.
        case clientError
        /// The endpoint answered 5xx.
        case serverError
        /// Anything else the transport reported.
        case transport
    }

    public var reason: Reason
    /// The HTTP status, when the endpoint answered.
    public var status: Int?
    /// A short, secret-free message for the delivery log.
    public var message: String
    /// How long the endpoint asked us to wait (`Retry-After` on a 429 or 503), in seconds.
    public var retryAfter: Double?

    public init(reason: Reason, status: Int? = nil, message: String, retryAfter: Double? = nil) {
        self.reason = reason
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    /// Reads a `Retry-After` value: delay-seconds, or an HTTP date (IMF-fixdate) relative to `now`.
    /// `nil` for anything else; never negative.
    public static func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let text = value?.trimmedSpaces, !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite { return max(0, seconds) }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Classifies a completed HTTP exchange; `nil` for 2xx (success) and 3xx never counts as success.
    public static func classify(status: Int) -> DeliveryFailure? {
        switch status {
        case 200..<300: return nil
        case 401, 403: return DeliveryFailure(reason: .auth, status: status, message: "HTTP \(status)")
        case 408: return DeliveryFailure(reason: .timeout, status: status, message: "HTTP 408")
        case 429: return DeliveryFailure(reason: .rateLimited, status: status, message: "HTTP 429")
        case 500..<600: return DeliveryFailure(reason: .serverError, status: status, message: "HTTP \(status)")
        default: return DeliveryFailure(reason: .clientError, status: status, message: "HTTP \(status)")
        }
    }

    /// Whether trying again later can help. Wrong messages (4xx other than 408/429), refused
    /// credentials and broken TLS do not get better by waiting; they go to the dead-letter queue.
    public var isRetryable: Bool {
        switch reason {
        case .timeout, .refused, .dns, .rateLimited, .serverError, .transport: true
        case .tls, .auth, .clientError: false
        }
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
