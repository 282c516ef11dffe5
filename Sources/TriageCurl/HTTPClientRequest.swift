/// One outbound HTTP request.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Time allowed to open the connection (DNS, TCP and TLS).
    public var connectTimeout: Duration
    /// Time allowed for the whole exchange.
    public var timeout: Duration
    /// Verify the server's certificate and host name. On unless a test turns it off.
    public var verifyTLS: Bool
    /// A PEM file of CA certificates to verify the server with instead of the system's.
    public var caBundle: String?

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        connectTimeout: Duration = .seconds(5),
        timeout: Duration = .seconds(15),
        verifyTLS: Bool = true,
        caBundle: String? = nil
    ) {
        self.caBundle = caBundle
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.verifyTLS = verifyTLS
    }
}

/// An HTTP answer of any status; ``CurlHTTPClient`` does not turn 4xx/5xx into errors.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    /// Header fields in the order received, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Throws ``CurlError`` of kind ``CurlError/Kind/httpStatus`` unless the status is 2xx.
    public func requireSuccess() throws(CurlError) -> HTTPClientResponse {
        guard (200..<300).contains(status) else {
            throw CurlError(kind: .httpStatus, code: 0, status: status, message: "HTTP \(status)")
        }
        return self
    }
}
