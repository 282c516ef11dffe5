import FoundationEssentials

/// Any JSON document, decoded once so that each source kind can read the fields it knows and
/// report the exact JSON path of what is missing or of the wrong type.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The deepest nesting a webhook body may have; deeper bodies are refused before decoding.
    public static let maximumDepth = 64

    /// Parses a webhook body: strict JSON, valid UTF-8 in strings, nesting no deeper than
    /// ``maximumDepth``. Every failure is a ``PayloadError/Kind/malformed`` error (HTTP 400).
    public static func parse(_ bytes: [UInt8]) throws(PayloadError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            switch error {
            case .invalidUTF8:
                throw PayloadError(path: "$", message: "body is not valid UTF-8", kind: .malformed)
            case .tooDeep:
                throw PayloadError(
                    path: "$", message: "JSON nesting is deeper than \(maximumDepth) levels", kind: .malformed)
            case .syntax(let detail):
                throw PayloadError(path: "$", message: "not valid JSON: \(detail)", kind: .malformed)
            }
        }
    }

    /// A scalar as text: strings as they are, integral numbers without a fraction, booleans as words.
    public var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { String(Int64(number)) } else { "\(number)" }
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
