import FuzzSupport
import TriageCore

/// libFuzzer entry point: the `generic` decoder, as documented and through two field mappings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeneric(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.generic), FuzzInput.bytes(start, count))
    return 0
}
