import CCurl

/// A failed exchange, typed by what went wrong, with whether trying again may help.
///
/// `description` names the failure and libcurl's message; it never includes the URL's path or
/// query, request headers or bodies, where tokens live.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case timeout
        /// Connection refused or reset before an answer.
        case refused
        case dns
        case tls
        /// The server answered with a non-2xx status (from ``HTTPClientResponse/requireSuccess()``).
        case httpStatus
        /// A malformed URL or an option libcurl rejected: a configuration error, not transient.
        case invalidRequest
        /// Anything else the transport reported (send/receive errors, empty reply).
        case transport
    }

    public var kind: Kind
    /// libcurl's `CURLcode`, 0 for HTTP status failures.
    public var code: Int32
    public var status: Int?
    public var message: String

    public init(kind: Kind, code: Int32, status: Int? = nil, message: String) {
        self.kind = kind
        self.code = code
        self.status = status
        self.message = message
    }

    /// Whether waiting and trying again can help: timeouts, refused connections, DNS failures,
    /// transport hiccups, 408, 429 and 5xx. TLS failures and other 4xx cannot.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .refused, .dns, .transport: true
        case .tls, .invalidRequest: false
        case .httpStatus:
            status.map { $0 == 408 || $0 == 429 || $0 >= 500 } ?? false
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    /// Classifies a libcurl result code.
    static func kind(for code: CURLcode) -> Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_CONNECT: .refused
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_USE_SSL_FAILED:
            .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT,
            CURLE_UNKNOWN_OPTION, CURLE_NOT_BUILT_IN:
            .invalidRequest
        default: .transport
        }
    }
}
