import FoundationEssentials

/// A webhook body that could not be read, with where (a JSON path) and what.
public struct PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A JSON path such as `$.alerts[1].labels`, `$` for the whole body.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    /// Turns a `DecodingError` into a path and a message a sender can act on.
    public init(_ error: any Error) {
        guard let error = error as? DecodingError else {
            self.init(path: "$", message: "not valid JSON")
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
            let message = context.codingPath.isEmpty ? "not valid JSON" : context.debugDescription
            self.init(path: render(context.codingPath), message: message)
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
