import FuzzSupport
import TriageCore

/// libFuzzer entry point: the Grafana alerting webhook decoder (unified and legacy).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGrafana(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.grafana), FuzzInput.bytes(start, count))
    return 0
}
