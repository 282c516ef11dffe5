import FoundationEssentials

/// A user's regular expression, compiled once. Equal when the source text is.
public struct RedactionPattern: @unchecked Sendable, Equatable {
    /// Why a pattern cannot be used.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The compiler's message, or why the pattern is refused.
        public var description: String
    }

    /// The expression as written.
    public let source: String
    // Regex is immutable once built; it is compiled eagerly below so no lazy state is shared.
    let regex: Regex<AnyRegexOutput>

    /// Compiles `source`.
    /// - Throws: ``Problem`` with the compiler's message, or when the pattern matches empty text
    ///   (it would fire everywhere).
    public init(_ source: String) throws(Problem) {
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(source)
        } catch {
            throw Problem(description: "\(error)")
        }
        if (try? regex.wholeMatch(in: "")) != nil {
            throw Problem(description: "the pattern matches empty text")
        }
        self.source = source
        self.regex = regex
    }

    public static func == (lhs: RedactionPattern, rhs: RedactionPattern) -> Bool { lhs.source == rhs.source }
}
