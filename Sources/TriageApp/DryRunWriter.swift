import Foundation

/// Where dry-run output goes as it is produced: standard output or a file (replaced only once
/// the run completes, so a failed run leaves the previous file in place).
final class DryRunWriter {
    let handle: FileHandle
    let temporary: String?
    let destination: String?

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            temporary = nil
            destination = nil
            return
        }
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw DryRunInputs.Failure("--output \(path): cannot write there") }
        self.handle = handle
        self.temporary = temporary
        self.destination = path
    }

    func write(_ text: String) {
        handle.write(Data(text.utf8))
    }

    func close() {
        guard let temporary, let destination else { return }
        try? handle.close()
        _ = try? FileManager.default.removeItem(atPath: destination)
        try? FileManager.default.moveItem(atPath: temporary, toPath: destination)
    }
}
