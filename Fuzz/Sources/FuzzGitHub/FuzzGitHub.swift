import FuzzSupport
import TriageCore

/// libFuzzer entry point: the GitHub `issues` event decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGitHub(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.kind(.github), FuzzInput.bytes(start, count))
    return 0
}
