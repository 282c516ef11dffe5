import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TriageHTTP
import UnixSignals

/// `triage sink`: a stand-in vendor endpoint that prints what it receives.
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract: "Run a stand-in vendor endpoint that prints every delivery it receives."
    )

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (the sample vendors deliver to 9101).")
    var port = 9101

    @Option(name: .long, help: "Answer 503 to this many requests first, to watch retries.")
    var failFirst = 0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): must be 0...65535") }
        guard failFirst >= 0 else { throw ValidationError("--fail-first must not be negative") }
    }

    func run() async throws {
        let logger = Logger(label: "triage.sink")
        let sink = VendorSink(failFirst: failFirst) { received, status in
            let key = received.headers["idempotency-key"] ?? "-"
            let line = "\(status) \(received.method) \(received.path) idempotency-key=\(key)\n\(received.bodyText)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        let host = self.host
        let app = sink.application(host: host, port: port, logger: logger) { port in
            FileHandle.standardOutput.write(Data("triage sink listening on http://\(host):\(port)\n".utf8))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
