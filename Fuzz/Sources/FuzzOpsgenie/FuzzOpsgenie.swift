import FuzzSupport
import TriageCore

/// libFuzzer entry point: the Opsgenie outgoing webhook decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOpsgenie(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.opsgenie), FuzzInput.bytes(start, count))
    return 0
}
