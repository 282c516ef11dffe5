/// Prepares incident text for the classifier and the neighbour index: repairs mojibake, applies a
/// compatibility folding, folds case and accents (`TextFolding`), and splits the result into tokens.
///
/// Tokens (`tokens(_:)`), in text order:
/// - Words are runs of letters and digits (as in `AnalyzedText`), folded. English, French and German
///   stop words (`StopWords`) are dropped; negations are kept.
/// - A run of words joined by `.` `-` `_` `/` `\` `:` `@` with no space (`db-7.prod.example.com`,
///   `/oracle/sid_37/data`, `ORA-00942`) is also kept whole, just before its parts: host names,
///   paths and error codes stay recognisable while their parts still match on their own.
/// - Digit runs of six or more digits (ticket numbers, phone numbers, timestamps) become `<num>`:
///   `inplant_874773` → `inplant_<num>`, `inplant`, `<num>`. Shorter numbers (`503`, `2016`,
///   `00942`) and hexadecimal codes (`0x80070005`) are kept as they are.
/// - Letter-only words are lightly stemmed (`Stemmer`): English plurals and `-ing`/`-ed`, French
///   `-aux`, German `-ungen`/`-en`. German compounds are not split (the character n-grams of
///   `FeatureHasher` relate `Datenbankverbindung` to `Datenbank`), but hyphenated ones are.
public enum TextNormalizer {
    /// Repairs mojibake, then the compatibility folding, then `TextFolding.fold`.
    public static func normalize(_ text: String) -> String {
        TextFolding.fold(compatibilityFold(repairMojibake(text)))
    }

    /// The classifier's tokens of `text` (see the type's documentation).
    public static func tokens(_ text: String) -> [String] {
        analyze(normalized: normalize(text)).tokens.map(\.text)
    }

    /// A token, and whether it is a whole joined run (`db-7.prod`) rather than a word of the text.
    struct Token: Equatable {
        var text: String
        var isCompound: Bool
    }

    /// The tokens of `normalize(text)`d text, with stop words removed and stemming applied,
    /// compounds flagged; and all its words (numbers shaped, but no stop-word removal, no
    /// stemming): what character n-grams are taken from.
    static func analyze(normalized: String) -> (tokens: [Token], words: [String]) {
        var tokens: [Token] = []
        var all: [String] = []
        forEachChunk(of: normalized) { words, joined in
            if let joined { tokens.append(Token(text: joined, isCompound: true)) }
            for word in words where !stopWords.contains(word) {
                tokens.append(Token(text: Stemmer.stem(word), isCompound: false))
            }
            all.append(contentsOf: words)
        }
        return (tokens, all)
    }

    /// Calls `body` for each chunk of already-normalised text: a maximal run of letters, digits and
    /// joiners. Passes its words (numbers shaped) and, when it has two words or more, the whole
    /// chunk without leading or trailing joiners (numbers shaped too).
    static func forEachChunk(of normalized: String, _ body: ([String], String?) -> Void) {
        var words: [String] = []
        var word: [Unicode.Scalar] = []
        var joined = String.UnicodeScalarView()
        var pendingJoiners = String.UnicodeScalarView()

        func endWord() {
            guard !word.isEmpty else { return }
            let shaped = shapeNumbers(word)
            if !joined.isEmpty { joined.append(contentsOf: pendingJoiners) }
            joined.append(contentsOf: shaped.unicodeScalars)
            pendingJoiners = String.UnicodeScalarView()
            words.append(shaped)
            word.removeAll(keepingCapacity: true)
        }
        func endChunk() {
            endWord()
            if !words.isEmpty { body(words, words.count > 1 ? String(joined) : nil) }
            words.removeAll(keepingCapacity: true)
            joined = String.UnicodeScalarView()
            pendingJoiners = String.UnicodeScalarView()
        }
        for scalar in normalized.unicodeScalars {
            switch AnalyzedText.kind(of: scalar) {
            case .letter:
                word.append(scalar)
            case .singleCharacterWord:
                endChunk()
                word.append(scalar)
                endChunk()
            case .separator:
                if joiners.contains(scalar.value) {
                    endWord()
                    if !joined.isEmpty { pendingJoiners.append(scalar) }
                } else {
                    endChunk()
                }
            }
        }
        endChunk()
    }

    /// Characters that join words into one chunk: `.` `-` `_` `/` `\` `:` `@`.
    static let joiners: Set<UInt32> = [0x2E, 0x2D, 0x5F, 0x2F, 0x5C, 0x3A, 0x40]

    /// Digit runs of at least this many digits become `<num>`.
    static let longNumber = 6

    /// The word with each run of `longNumber` digits or more replaced by `<num>`; hexadecimal
    /// literals (`0x…`) are kept.
    static func shapeNumbers(_ word: [Unicode.Scalar]) -> String {
        var result = String.UnicodeScalarView()
        if word.count > 2 && word[0] == "0" && word[1] == "x" { result.append(contentsOf: word); return String(result) }
        var index = 0
        while index < word.count {
            var end = index
            while end < word.count && word[end].value >= 0x30 && word[end].value <= 0x39 { end += 1 }
            if end - index >= longNumber {
                result.append(contentsOf: "<num>".unicodeScalars)
                index = end
            } else if end > index {
                result.append(contentsOf: word[index..<end])
                index = end
            } else {
                result.append(word[index])
                index += 1
            }
        }
        return String(result)
    }

    /// English, French and German stop words, folded.
    static let stopWords: Set<String> = Set(StopWords.english + StopWords.french + StopWords.german)

    /// Repairs UTF-8 text that was decoded as Latin-1 or Windows-1252 and re-encoded (`fÃ¼r` → `für`,
    /// `Ã©` → `é`, `â€“` → `–`). Each run of characters whose Windows-1252 bytes form one valid
    /// multi-byte UTF-8 sequence is replaced by the character it encodes; everything else is kept,
    /// so text that is not mojibake comes back unchanged. Applied twice at most (double mojibake).
    public static func repairMojibake(_ text: String) -> String {
        var current = text
        for _ in 0..<2 {
            guard current.unicodeScalars.contains(where: { $0.value >= 0xC2 && $0.value <= 0xF4 }) else { break }
            let scalars = Array(current.unicodeScalars)
            var output = String.UnicodeScalarView()
            var changed = false
            var index = 0
            while index < scalars.count {
                if let (decoded, length) = decodeMojibake(scalars, at: index) {
                    output.append(decoded)
                    index += length
                    changed = true
                } else {
                    output.append(scalars[index])
                    index += 1
                }
            }
            guard changed else { break }
            current = String(output)
        }
        return current
    }

    /// The character encoded by the Windows-1252 bytes of `scalars[index...]`, and how many
    /// scalars it took, when they form a valid UTF-8 sequence of two to four bytes.
    static func decodeMojibake(_ scalars: [Unicode.Scalar], at index: Int) -> (Unicode.Scalar, Int)? {
        guard let lead = windows1252Byte(scalars[index]), lead >= 0xC2 && lead <= 0xF4 else { return nil }
        let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + length <= scalars.count else { return nil }
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        for offset in 1..<length {
            guard let byte = windows1252Byte(scalars[index + offset]), byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// The byte that Windows-1252 (or Latin-1, for its unassigned bytes) decodes to this scalar.
    static func windows1252Byte(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value >= 0x80 && value <= 0xFF { return UInt8(value) }
        return windows1252High[value]
    }

    /// Windows-1252's characters in 0x80–0x9F that are not the Latin-1 control characters.
    static let windows1252High: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// A table-based approximation of Unicode compatibility normalisation (NFKC) for what incident
    /// text contains: super- and subscript digits, circled digits, vulgar fractions, special spaces,
    /// dashes, quotes, `…`, `™`, invisible characters (dropped). Ligatures and fullwidth forms are
    /// handled by `TextFolding`.
    public static func compatibilityFold(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0xC2 }), text.unicodeScalars.contains(where: { $0.value >= 0xA0 && compatibility[$0.value] != nil })
        else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value >= 0xA0, let replacement = compatibility[scalar.value] {
                output.append(contentsOf: replacement.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// Compatibility replacements (see `compatibilityFold(_:)`).
    static let compatibility: [UInt32: String] = {
        var table: [UInt32: String] = [
            0xB2: "2", 0xB3: "3", 0xB9: "1", 0x2070: "0", 0x2071: "i", 0x207F: "n", 0xBC: "1/4", 0xBD: "1/2",
            0xBE: "3/4", 0x2153: "1/3", 0x2154: "2/3", 0xB5: "\u{3BC}", 0x2122: "tm", 0x2026: "...",
            0x2212: "-", 0x2044: "/", 0x2215: "/", 0xAA: "a", 0xBA: "o", 0x2116: "No",
        ]
        for value: UInt32 in 0x2074...0x2079 { table[value] = String(value - 0x2074 + 4) }
        for value: UInt32 in 0x2080...0x2089 { table[value] = String(value - 0x2080) }
        for value: UInt32 in 0x2460...0x2468 { table[value] = String(value - 0x2460 + 1) }
        for value: UInt32 in [0xA0, 0x1680, 0x202F, 0x205F, 0x3000] + Array(0x2000...0x200A) { table[value] = " " }
        for value: UInt32 in [0x200B, 0x200E, 0x200F, 0x2061, 0x2062, 0x2063, 0x2064] { table[value] = "" }
        for value: UInt32 in 0x2010...0x2015 { table[value] = "-" }
        for value: UInt32 in [0x2018, 0x2019, 0x201A, 0x201B, 0x2032] { table[value] = "'" }
        for value: UInt32 in [0x201C, 0x201D, 0x201E, 0x201F, 0x2033] { table[value] = "\"" }
        return table
    }()
}

/// Light, conservative suffix stripping for English, French and German (folded words, letters only,
/// longer than three letters). Conflates the common inflections (`errors`/`error`,
/// `failing`/`failed`/`fail`, `denied`/`denies`/`deny`, `Verbindungen`/`Verbindung`); it does not
/// try to be a full stemmer (`expired` → `expir` while `expire` stays: the character n-grams
/// still relate them).
enum Stemmer {
    static func stem(_ word: String) -> String {
        let count = word.utf8.count
        guard count > 3, word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        var stem = Substring(word)
        if stem.hasSuffix("ungen") { return String(stem.dropLast(2)) }
        if count > 4 && (stem.hasSuffix("ies") || stem.hasSuffix("ied")) { return String(stem.dropLast(3)) + "y" }
        if count > 4 && stem.hasSuffix("aux") { return String(stem.dropLast(3)) + "al" }
        if stem.hasSuffix("sses") { return String(stem.dropLast(2)) }
        if stem.hasSuffix("s") && !stem.hasSuffix("ss") && !stem.hasSuffix("us") && !stem.hasSuffix("is") {
            stem = stem.dropLast()
        }
        let length = stem.utf8.count
        if length > 5 && stem.hasSuffix("ing") { return String(stem.dropLast(3)) }
        if length > 4 && stem.hasSuffix("ed") { return String(stem.dropLast(2)) }
        if length > 6 && stem.hasSuffix("en") { return String(stem.dropLast(2)) }
        return String(stem)
    }
}
