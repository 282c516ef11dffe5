import FuzzSupport
import TriageCore

/// libFuzzer entry point: the Jira issue webhook decoder (with Atlassian documents).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJira(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.jira), FuzzInput.bytes(start, count))
    return 0
}
