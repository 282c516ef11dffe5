import FoundationEssentials

/// A webhook body that could not be read, with where (a JSON path) and what.
public struct PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the body is not JSON at all or JSON of the wrong shape.
    public enum Kind: String, Sendable, Equatable {
        /// Not UTF-8, not JSON, or nested too deep (HTTP 400).
        case malformed
        /// Valid JSON that does not have the fields this source kind needs (HTTP 422).
        case shape
    }

    /// A JSON path such as `$.alerts[1].labels`, `$` for the whole body.
    public var path: String
    public var message: String
    public var kind: Kind

    public init(path: String, message: String, kind: Kind = .shape) {
        self.path = path
        self.message = message
        self.kind = kind
    }

    public var description: String { "\(path): \(message)" }

    /// Turns a `DecodingError` into a path and a message a sender can act on.
    public init(_ error: any Error) {
        guard let error = error as? DecodingError else {
            self.init(path: "$", message: "not valid JSON", kind: .malformed)
            return
        }
        func render(_ path: [any CodingKey]) -> String {
            path.reduce("$") { partial, key in
                if let index = key.intValue { return "\(partial)[\(index)]" }
                return "\(partial).\(key.stringValue)"
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            self.init(path: render(context.codingPath), message: "expected \(Self.jsonName(type))")
        case .valueNotFound(let type, let context):
            self.init(path: render(context.codingPath), message: "expected \(Self.jsonName(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(path: render(context.codingPath + [key]), message: "required field is missing")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(path: "$", message: "not valid JSON", kind: .malformed)
            } else {
                self.init(path: render(context.codingPath), message: context.debugDescription)
            }
        @unknown default:
            self.init(path: "$", message: "could not be decoded")
        }
    }

    static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
