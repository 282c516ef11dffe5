import FuzzSupport

/// libFuzzer entry point: the RFC 4180 CSV reader (labelled tables and dry-run histories).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    TableHarness.csv(FuzzInput.bytes(start, count))
    return 0
}
