import FuzzSupport

/// libFuzzer entry point: the configuration loader, with the input as `rules.yaml`, or as `sources.yaml`
/// or `vendors.yaml` when its first line is `#sources` or `#vendors`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ConfigHarness.run(FuzzInput.text(start, count))
    return 0
}
