import Foundation

/// An HTTPS endpoint on loopback with a freshly made self-signed certificate (openssl) served by
/// Python's `http.server`: answers 200 `ok` to POST, PUT and PATCH. `make test` installs both tools.
public final class TLSTestServer: Sendable {
    public let port: Int
    /// The server's certificate (PEM): a CA bundle that trusts it.
    public let certificate: String
    let process: TriageProcess

    static let script = """
        import http.server, ssl, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                self.rfile.read(int(self.headers.get('Content-Length', 0)))
                self.send_response(200)
                self.send_header('Content-Length', '2')
                self.end_headers()
                self.wfile.write(b'ok')
            do_POST = do_PUT = do_PATCH = answer
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    public init(directory: TemporaryDirectory) async throws {
        let certificate = directory.path("server-cert.pem")
        let key = directory.path("server-key.pem")
        let openssl = try TriageProcess(
            executable: URL(fileURLWithPath: "/usr/bin/openssl"),
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        guard try await openssl.waitForExit() == 0 else {
            throw ProcessFailed(stdout: openssl.standardOutput, stderr: openssl.standardError)
        }
        let scriptPath = directory.path("tls-server.py")
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let process = try TriageProcess(
            executable: URL(fileURLWithPath: "/usr/bin/python3"), [scriptPath, certificate, key])
        var port: Int?
        for _ in 0..<500 {
            if let line = process.standardOutput.split(separator: "\n").first, let number = Int(line) {
                port = number
                break
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        guard let port else {
            process.send(SIGKILL)
            throw ProcessFailed(stdout: process.standardOutput, stderr: process.standardError)
        }
        self.port = port
        self.certificate = certificate
        self.process = process
    }

    /// Ends the server at once.
    public func kill() {
        process.send(SIGKILL)
    }
}
