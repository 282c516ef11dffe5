import Hummingbird
import Logging
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the peer address, which
/// decides whether an unauthenticated source may be used (loopback only).
public struct TriageRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Webhook bodies larger than this are refused with 413 before they are read.
    public var maxUploadSize: Int { 1 << 20 }

    /// Whether the peer connected over loopback (127.0.0.0/8 or ::1).
    public var isLoopback: Bool { Self.isLoopback(remoteAddress) }

    /// Whether `address` is a loopback address (127.0.0.0/8, ::1, a Unix socket); `nil` is not.
    public static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        switch address {
        case .v4:
            return address.ipAddress?.hasPrefix("127.") ?? false
        case .v6:
            let ip = address.ipAddress ?? ""
            return ip == "::1" || ip.hasPrefix("::ffff:127.")
        case .unixDomainSocket:
            return true
        }
    }
}
