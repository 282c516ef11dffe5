import FoundationEssentials

/// A position in a ``JSONValue`` with its JSON path, so decoders read fields by name and every
/// error says where: `$.alerts[1].labels.severity: expected a string`.
///
/// Reading a missing key is not an error until a value is required: `root["a"]["b"]` on a body
/// without `a` is a cursor at `$.a.b` whose ``value`` is `nil`.
public struct JSONCursor: Sendable {
    public let value: JSONValue?
    public let path: String

    public init(_ value: JSONValue, path: String = "$") {
        self.value = value
        self.path = path
    }

    init(missingAt path: String) {
        self.value = nil
        self.path = path
    }

    public subscript(key: String) -> JSONCursor {
        let childPath = path + "." + key
        guard case .object(let members)? = value, let child = members[key] else {
            return JSONCursor(missingAt: childPath)
        }
        return JSONCursor(child, path: childPath)
    }

    public subscript(index: Int) -> JSONCursor {
        let childPath = "\(path)[\(index)]"
        guard case .array(let items)? = value, items.indices.contains(index) else {
            return JSONCursor(missingAt: childPath)
        }
        return JSONCursor(items[index], path: childPath)
    }

    /// Whether a non-null value is here.
    public var isPresent: Bool {
        switch value {
        case nil, .null?: false
        default: true
        }
    }

    /// A shape error at this position (HTTP 422).
    public func error(_ message: String) -> PayloadError {
        PayloadError(path: path, message: message)
    }

    /// Text here: a string, or a number or boolean rendered as text; `nil` when absent or null.
    /// Objects and arrays are a shape error.
    public func optionalString() throws(PayloadError) -> String? {
        guard let value, value != .null else { return nil }
        guard let text = value.scalarText else { throw error("expected a string, found \(value.typeName)") }
        return text
    }

    /// Like ``optionalString()`` but empty or blank text counts as absent.
    public func optionalNonEmpty() throws(PayloadError) -> String? {
        guard let text = try optionalString()?.trimmedSpaces, !text.isEmpty else { return nil }
        return text
    }

    /// Required text; missing, null and blank are shape errors.
    public func string() throws(PayloadError) -> String {
        guard isPresent else { throw error("required field is missing") }
        guard let text = try optionalNonEmpty() else { throw error("must not be empty") }
        return text
    }

    /// The number here, also when sent as numeric text; `nil` when absent or null.
    public func optionalNumber() throws(PayloadError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?: return number
        case .string(let text)?:
            guard let number = Double(text) else { throw error("expected a number, found '\(text)'") }
            return number
        case let other?: throw error("expected a number, found \(other.typeName)")
        }
    }

    /// The boolean here; `nil` when absent or null.
    public func optionalBool() throws(PayloadError) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?: throw error("expected true or false, found \(other.typeName)")
        }
    }

    /// The items of the array here; absent or null is an empty list.
    public func optionalArray() throws(PayloadError) -> [JSONCursor] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?: return items.indices.map { self[$0] }
        case let other?: throw error("expected an array, found \(other.typeName)")
        }
    }

    /// The items of the array here; absent is a shape error.
    public func array() throws(PayloadError) -> [JSONCursor] {
        guard isPresent else { throw error("required field is missing") }
        return try optionalArray()
    }

    /// The members of the object here, sorted by key; absent or null is empty.
    public func optionalMembers() throws(PayloadError) -> [(key: String, value: JSONCursor)] {
        switch value {
        case nil, .null?: return []
        case .object(let members)?: return members.keys.sorted().map { ($0, self[$0]) }
        case let other?: throw error("expected an object, found \(other.typeName)")
        }
    }

    /// Requires an object here (for a payload's top level and other mandatory sections).
    public func requireObject() throws(PayloadError) {
        guard isPresent else { throw error("required field is missing") }
        guard case .object? = value else { throw error("expected an object, found \(value?.typeName ?? "nothing")") }
    }

    /// An object of scalars as labels; nested objects and arrays are skipped, null values dropped.
    public func labels() throws(PayloadError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, member) in try optionalMembers() {
            if let text = member.value?.scalarText { result[key] = text }
        }
        return result
    }

    /// An RFC 3339 timestamp here; `nil` when absent, null, empty or Go's zero time (`0001-01-01…`).
    public func optionalDate() throws(PayloadError) -> Date? {
        guard let text = try optionalNonEmpty(), !text.hasPrefix("0001-") else { return nil }
        guard let date = RFC3339.parse(text) else { throw error("expected an RFC 3339 timestamp, found '\(text)'") }
        return date
    }
}
