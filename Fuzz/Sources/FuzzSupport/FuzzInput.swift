/// The bytes libFuzzer hands a target, copied into the forms the parsers take.
public enum FuzzInput {
    /// The `count` bytes at `start` as an array (the pointer is only valid during the call).
    public static func bytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// The bytes as text; invalid UTF-8 is repaired (U+FFFD), so every input reaches the parser.
    public static func text(_ start: UnsafeRawPointer, _ count: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    }
}
