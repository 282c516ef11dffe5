import FuzzSupport
import TriageCore

/// libFuzzer entry point: the ServiceNow incident record decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServiceNow(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.servicenow), FuzzInput.bytes(start, count))
    return 0
}
