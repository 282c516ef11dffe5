import CCurl

/// Collects the body and header lines libcurl hands to the callbacks.
final class ResponseSink {
    var body: [UInt8] = []
    var headerLines: [String] = []
}

private let writeBody: triage_curl_write_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        sink.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

private let writeHeader: triage_curl_write_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    let line = pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
    sink.headerLines.append(line)
    return length
}

extension CurlHTTPClient {
    /// Runs one transfer on `handle`, blocking the calling thread. Call only from a thread pool.
    static func perform(_ request: HTTPClientRequest, on handle: Handle) throws -> HTTPClientResponse {
        let curl = handle.raw
        curl_easy_reset(curl)
        let sink = ResponseSink()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // Do not wait for "100 Continue" before sending a body.
        headerList = curl_slist_append(headerList, "Expect:")

        let code: CURLcode = withExtendedLifetime(sink) {
            errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
                let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
                var setup = [
                    triage_curl_setopt_string(curl, CURLOPT_URL, request.url),
                    triage_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1),
                    triage_curl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"),
                    triage_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0),
                    triage_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)),
                    triage_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout)),
                    triage_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, request.verifyTLS ? 1 : 0),
                    triage_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, request.verifyTLS ? 2 : 0),
                    triage_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList),
                    triage_curl_setopt_write_callback(curl, CURLOPT_WRITEFUNCTION, writeBody),
                    triage_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, sinkPointer),
                    triage_curl_setopt_write_callback(curl, CURLOPT_HEADERFUNCTION, writeHeader),
                    triage_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, sinkPointer),
                    triage_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorPointer.baseAddress),
                ]
                if let caBundle = request.caBundle {
                    setup.append(triage_curl_setopt_string(curl, CURLOPT_CAINFO, caBundle))
                }
                let method = request.method.uppercased()
                if !request.body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" {
                    setup.append(triage_curl_setopt_off_t(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                    // COPYPOSTFIELDS copies the bytes, so they need not outlive this call; an empty
                    // body still needs a valid pointer, hence the one-byte stand-in (size 0 is sent).
                    let bytes = request.body.isEmpty ? [0] : request.body
                    let bodyResult = bytes.withUnsafeBytes { buffer in
                        triage_curl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
                    }
                    setup.append(bodyResult)
                }
                if method == "HEAD" {
                    setup.append(triage_curl_setopt_long(curl, CURLOPT_NOBODY, 1))
                } else if method != "GET" && method != "POST" {
                    setup.append(triage_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, method))
                } else if method == "GET" && !request.body.isEmpty {
                    setup.append(triage_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, "GET"))
                }
                if let failed = setup.first(where: { $0 != CURLE_OK }) { return failed }
                return curl_easy_perform(curl)
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw CurlError(kind: CurlError.kind(for: code), code: Int32(code.rawValue), message: message)
        }
        var status = 0
        triage_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPClientResponse(status: status, headers: parseHeaders(sink.headerLines), body: sink.body)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// Keeps the header block of the final answer (after any `100 Continue` or proxy answer).
    static func parseHeaders(_ lines: [String]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for raw in lines {
            let line = raw.trimmingLineEnd()
            if line.hasPrefix("HTTP/") {
                headers.removeAll()
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            headers.append((name, String(value)))
        }
        return headers
    }
}

extension String {
    func trimmingLineEnd() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\r\n" || last == "\n" || last == "\r" { s.removeLast() }
        return String(s)
    }
}
