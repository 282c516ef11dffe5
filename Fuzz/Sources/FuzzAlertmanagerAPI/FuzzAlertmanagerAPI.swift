import FuzzSupport

/// libFuzzer entry point: the decoder of Prometheus' `POST /api/v2/alerts` body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAlertmanagerAPI(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PayloadHarness.run(.alertmanagerAPI, FuzzInput.bytes(start, count))
    return 0
}
