/// A word or phrase of a rule, compiled once when the rule is loaded: `"disk full"`,
/// `"No space left"`, `"base de données"`, `"db-7"`.
///
/// The phrase is split into folded words exactly the way `AnalyzedText` splits incident text, so
/// `"db-7"` is the two words `db`, `7` and matches `db-7`, `db 7`, `DB_7` and `db/7`. It matches
/// when its words occur consecutively in the text (see `AnalyzedText.contains(_:)`).
public struct Phrase: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The phrase as written in the rule, for explanations.
    public let text: String
    /// The folded words, never empty.
    public let words: [String]
    /// The words' hashes, as `AnalyzedText` computes them (valid within this process).
    let hashes: [UInt64]

    /// Compiles `text`; `nil` when it contains no letter or digit (`""`, `"  "`, `"--"`).
    public init?(_ text: String) {
        let analyzed = AnalyzedText(text)
        guard !analyzed.isEmpty else { return nil }
        self.text = text
        self.words = analyzed.words
        self.hashes = analyzed.hashes
    }

    /// The phrase as written.
    public var description: String { text }
}
