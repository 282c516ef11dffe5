import Foundation

/// Finds the project's own fixtures and the shared data sets beside the project.
public enum Fixtures {
    /// The package root, found from this file's path.
    public static let projectRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Bytes of `fixtures/<relativePath>`.
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: projectRoot.appendingPathComponent("fixtures").appendingPathComponent(relativePath)))
    }

    /// `../shared/datasets`, or `nil` (with the reason printed) when it is absent: tests that
    /// need it skip with that reason rather than pass silently.
    public static var sharedDatasets: URL? {
        let candidates = [
            projectRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets"),
            URL(fileURLWithPath: "/work/shared/datasets"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The sample configuration directory users start from.
    public static var rulesDirectory: String { projectRoot.appendingPathComponent("rules").path }

    /// The built `triage` executable next to the test bundle (built by `swift build --build-tests`).
    public static var triageExecutable: URL {
        projectRoot.appendingPathComponent(".build/debug/triage")
    }
}

/// A fresh directory under the system temp folder, removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("triage-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
