import FuzzSupport
import TriageCore

/// libFuzzer entry point: the PagerDuty Events API v2 decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPagerDutyEvents(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.pagerdutyEvents), FuzzInput.bytes(start, count))
    return 0
}
