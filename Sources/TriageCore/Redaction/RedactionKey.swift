/// The key of the keyed hash that mode `hash` uses (read from the environment variable the
/// configuration names). It never shows in descriptions, dumps or logs.
public struct RedactionKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key's bytes.
    public let bytes: [UInt8]
    /// The environment variable it came from (safe to show).
    public let variable: String

    /// - Parameters:
    ///   - bytes: The key material.
    ///   - variable: Where it came from, for messages.
    public init(bytes: [UInt8], variable: String) {
        self.bytes = bytes
        self.variable = variable
    }

    public var description: String { "RedactionKey(from $\(variable))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["variable": variable]) }
}
