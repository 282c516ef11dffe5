import CCurl
import NIOPosix
import Synchronization

/// An HTTP client over libcurl's easy interface.
///
/// Handles are pooled and reused (keeping their connection caches warm); each blocking
/// `curl_easy_perform` runs on NIO's thread pool, never on Swift's cooperative pool. TLS
/// verification is on by default. Redirects are not followed: a vendor endpoint that moves is a
/// configuration problem to surface, not to paper over.
///
/// ```swift
/// let client = CurlHTTPClient()
/// let response = try await client.execute(HTTPClientRequest(method: "POST", url: url, body: json))
/// ```
public final class CurlHTTPClient: Sendable {
    struct Handle: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    private let idle = Mutex<[Handle]>([])
    private let threadPool: NIOThreadPool
    private let maxIdleHandles: Int

    static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    /// - Parameters:
    ///   - threadPool: Where blocking transfers run; the process-wide pool by default.
    ///   - maxIdleHandles: How many idle handles (and their connections) to keep for reuse.
    public init(threadPool: NIOThreadPool = .singleton, maxIdleHandles: Int = 16) {
        _ = Self.globalInit
        self.threadPool = threadPool
        self.maxIdleHandles = maxIdleHandles
    }

    deinit {
        for handle in idle.withLock({ $0 }) { curl_easy_cleanup(handle.raw) }
    }

    /// Performs `request` and returns the answer, whatever its status.
    /// - Throws: ``CurlError`` when no HTTP answer arrived (timeout, refused, DNS, TLS, transport).
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let handle = try checkOut()
        do {
            let response = try await threadPool.runIfActive { try Self.perform(request, on: handle) }
            checkIn(handle)
            return response
        } catch {
            // A handle whose transfer failed may hold a broken connection; do not reuse it.
            curl_easy_cleanup(handle.raw)
            throw error
        }
    }

    private func checkOut() throws(CurlError) -> Handle {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        guard let raw = curl_easy_init() else {
            throw CurlError(kind: .transport, code: -1, message: "curl_easy_init failed")
        }
        return Handle(raw: raw)
    }

    private func checkIn(_ handle: Handle) {
        let keep = idle.withLock { handles -> Bool in
            guard handles.count < maxIdleHandles else { return false }
            handles.append(handle)
            return true
        }
        if !keep { curl_easy_cleanup(handle.raw) }
    }
}
