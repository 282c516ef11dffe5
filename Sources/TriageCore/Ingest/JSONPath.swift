/// A path into a JSON document, as written in `sources.yaml` field mappings:
/// `$.alert.labels.team`, `$.items[0].name`, `$["key with spaces"]`.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public var steps: [Step]
    public let description: String

    /// Parses `$` followed by `.name`, `[index]` or `["name"]` steps; the message says what is wrong.
    public init(parsing text: String) throws(JSONPathError) {
        var steps: [Step] = []
        var rest = Substring(text.trimmedSpaces)
        guard rest.first == "$" else { throw JSONPathError("'\(text)' must start with '$'") }
        rest.removeFirst()
        while let next = rest.first {
            if next == "." {
                rest.removeFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw JSONPathError("'\(text)' has an empty name after '.'") }
                steps.append(.key(String(name)))
                rest = rest.dropFirst(name.count)
            } else if next == "[" {
                guard let close = rest.firstIndex(of: "]") else { throw JSONPathError("'\(text)' has '[' without ']'") }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                if let index = Int(inner), index >= 0 {
                    steps.append(.index(index))
                } else if inner.count >= 2, inner.first == "\"", inner.last == "\"" {
                    steps.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    throw JSONPathError("'\(text)': '[\(inner)]' is neither an index nor a quoted name")
                }
                rest = rest[rest.index(after: close)...]
            } else {
                throw JSONPathError("'\(text)': expected '.' or '[' at '\(rest)'")
            }
        }
        self.steps = steps
        self.description = text
    }
}

/// Why a JSON path in configuration could not be read.
public struct JSONPathError: Error, Sendable, Equatable {
    public var message: String
    init(_ message: String) { self.message = message }
}

extension JSONCursor {
    /// The position `path` leads to from here (`$` is here).
    public func at(_ path: JSONPath) -> JSONCursor {
        path.steps.reduce(self) { cursor, step in
            switch step {
            case .key(let name): cursor[name]
            case .index(let index): cursor[index]
            }
        }
    }
}
