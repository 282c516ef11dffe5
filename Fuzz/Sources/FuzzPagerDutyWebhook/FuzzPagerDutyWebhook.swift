import FuzzSupport
import TriageCore

/// libFuzzer entry point: the PagerDuty webhooks v3 decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPagerDutyWebhook(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.pagerdutyWebhook), FuzzInput.bytes(start, count))
    return 0
}
