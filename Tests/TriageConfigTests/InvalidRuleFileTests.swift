import Foundation
import Testing
import TriageConfig
import TriageTesting

/// Each file in `fixtures/rules/invalid/` is a broken `rules.yaml`; loading it with the sample
/// sources and vendors must report exactly the lines in its `.expected` file.
struct InvalidRuleFileTests {
    static let directory = Fixtures.projectRoot.appendingPathComponent("fixtures/rules/invalid").path
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func everyFixtureHasAnExpectation() {
        #expect(Self.cases.count >= 7)
        for name in Self.cases {
            #expect(FileManager.default.fileExists(atPath: Self.directory + "/" + name.replacingOccurrences(of: ".yaml", with: ".expected")))
        }
    }

    @Test(arguments: cases)
    func reportsExactlyTheExpectedProblems(_ name: String) throws {
        let sample = Fixtures.projectRoot.appendingPathComponent("rules")
        let sources = try String(contentsOf: sample.appendingPathComponent("sources.yaml"), encoding: .utf8)
        let vendors = try String(contentsOf: sample.appendingPathComponent("vendors.yaml"), encoding: .utf8)
        let rules = try String(contentsOfFile: Self.directory + "/" + name, encoding: .utf8)
        let expected = try String(
            contentsOfFile: Self.directory + "/" + name.replacingOccurrences(of: ".yaml", with: ".expected"), encoding: .utf8)
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: sources, vendors: vendors, rules: rules, directory: "rules")
        }
        #expect((error?.description ?? "") + "\n" == expected)
    }
}
