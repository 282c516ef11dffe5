import FuzzSupport
import TriageCore

/// libFuzzer entry point: the Zendesk ticket decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZendesk(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.zendesk), FuzzInput.bytes(start, count))
    return 0
}
