import Foundation

/// A one-line progress bar with rate and time left, on standard error, only when it is a
/// terminal (quiet in pipes, files and CI logs).
final class ProgressBar {
    let label: String
    let started = ContinuousClock.now
    var lastDrawn = ContinuousClock.now - .seconds(1)

    /// `nil` when standard error is not a terminal.
    init?(label: String) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        let now = ContinuousClock.now
        guard now - lastDrawn >= .milliseconds(200) else { return }
        lastDrawn = now
        let seconds = max(0.001, Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18)
        let rate = Double(done) / seconds
        let line: String
        if total > 0 {
            let left = rate > 0 ? Int(Double(total - done) / rate) : 0
            let width = 30
            let filled = min(width, done * width / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            line = "\r\(label) [\(bar)] \(done)/\(total)  \(Int(rate))/s  \(left)s left  "
        } else {
            // A streamed input's length is not known in advance: count and rate only.
            line = "\r\(label): \(done) incidents  \(Int(rate))/s  "
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish(_ total: Int) {
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("\r\(label): \(total) incidents in \(elapsed)\(String(repeating: " ", count: 30))\n".utf8))
    }
}
