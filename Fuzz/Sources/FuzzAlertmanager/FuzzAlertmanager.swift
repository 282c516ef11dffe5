import FuzzSupport
import TriageCore

/// libFuzzer entry point: the Alertmanager webhook (v4) decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAlertmanager(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.alertmanager), FuzzInput.bytes(start, count))
    return 0
}
