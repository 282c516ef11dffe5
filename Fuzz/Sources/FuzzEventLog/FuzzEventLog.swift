import FuzzSupport

/// libFuzzer entry point: the ServiceNow event-log reader and its replay.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventLog(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    TableHarness.eventLog(FuzzInput.bytes(start, count))
    return 0
}
