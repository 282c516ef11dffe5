import Testing
import TriageCore

/// The hand-written parser behind every webhook: RFC 8259 strictness, escapes, depth, UTF-8.
struct JSONParserTests {
    func parse(_ text: String) throws(PayloadError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func valuesOfEveryKind() throws {
        let value = try parse(#" {"s": "x", "n": -12.5e1, "i": 0, "t": true, "f": false, "z": null, "a": [1, [], {}]} "#)
        #expect(
            value
                == .object([
                    "s": .string("x"), "n": .number(-125), "i": .number(0), "t": .bool(true), "f": .bool(false),
                    "z": .null, "a": .array([.number(1), .array([]), .object([:])]),
                ]))
    }

    @Test func escapesAndUnicode() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\r\b\f""#) == .string("a\"b\\c/d\n\t\r\u{08}\u{0C}"))
        #expect(try parse(#""\u00fc\u20AC""#) == .string("ü€"))
        // A surrogate pair is one scalar.
        #expect(try parse(#""\ud83d\ude80""#) == .string("🚀"))
        #expect(try parse("\"für 🚀\"") == .string("für 🚀"))
    }

    @Test(arguments: [
        ("", "not valid JSON: unexpected end of input where a value was expected"),
        ("{", "not valid JSON: unexpected end of input where a key was expected"),
        ("[1,]", "not valid JSON: unexpected byte at offset 3 where a value was expected"),
        ("{\"a\" 1}", "not valid JSON: unexpected byte at offset 5 where ':' was expected"),
        ("{\"a\":1,}", "not valid JSON: unexpected byte at offset 7 where a key was expected"),
        ("[1 2]", "not valid JSON: unexpected byte at offset 3 where ',' or ']' was expected"),
        ("01", "not valid JSON: unexpected byte at offset 1 after the end of the document"),
        ("1.", "not valid JSON: unexpected end of input in a number (digits must follow '.')"),
        ("tru", "not valid JSON: unexpected end of input in a literal"),
        ("\"a\nb\"", "not valid JSON: unexpected byte at offset 2 in a string (control characters must be escaped)"),
        ("\"\\x\"", "not valid JSON: unexpected byte at offset 2 in an escape"),
        ("{} {}", "not valid JSON: unexpected byte at offset 3 after the end of the document"),
        ("1e999", "not valid JSON: number '1e999' is out of range"),
    ])
    func syntaxErrorsSayWhere(_ text: String, _ message: String) {
        let error = #expect(throws: PayloadError.self) { try parse(text) }
        #expect(error?.message == message)
        #expect(error?.kind == .malformed)
        #expect(error?.path == "$")
    }

    @Test func invalidUTF8AndLoneSurrogatesAreRefused() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0x22]] + [Array(#""\ud83d""#.utf8), Array(#""\ude80x""#.utf8)] {
            let error = #expect(throws: PayloadError.self) { try JSONValue.parse(bytes) }
            #expect(error?.message == "body is not valid UTF-8")
        }
    }

    @Test func depthIsLimitedWithoutRecursingFurther() throws {
        let limit = JSONValue.maximumDepth
        _ = try parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = #expect(throws: PayloadError.self) { try parse(deep) }
        #expect(error?.message == "JSON nesting is deeper than \(limit) levels")
        // A hostile body of a million brackets is refused the same way, not a stack overflow.
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(throws: PayloadError.self) { try parse(hostile) }
    }

    @Test func cursorPathsAndScalars() throws {
        let root = JSONCursor(try parse(#"{"alerts": [{"labels": {"n": 3, "b": true}}]}"#))
        #expect(root["alerts"][0]["labels"]["n"].path == "$.alerts[0].labels.n")
        #expect(try root["alerts"][0]["labels"].labels() == ["n": "3", "b": "true"])
        #expect(root["alerts"][5]["x"].isPresent == false)
        let error = #expect(throws: PayloadError.self) { try root["alerts"].string() }
        #expect(error?.description == "$.alerts: expected a string, found an array")
    }
}
