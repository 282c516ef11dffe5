/// Case and accent folding for text matching: `"Données"` and `"DONNEES"` both fold to `"donnees"`,
/// `"Straße"` to `"strasse"`.
///
/// What folding does, scalar by scalar (no Foundation, no ICU; our own tables):
/// - ASCII and every other script are lowercased (`Unicode.Scalar.Properties.lowercaseMapping`).
/// - Latin letters lose their diacritics: an explicit table covers Latin-1 Supplement and Latin
///   Extended-A (à→a, é→e, ç→c, ñ→n, ø→o, ł→l, ő→o, ð→d, ı→i …); Latin Extended-B and Latin Extended
///   Additional (ș, ț, ǎ, ơ, ạ, ẁ …) are derived once from the Unicode character names
///   ("LATIN SMALL LETTER S WITH COMMA BELOW" → s).
/// - ß and ẞ→ss, æ→ae, œ→oe, þ→th, ĳ→ij; the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ are spelled out.
/// - Combining marks U+0300–U+036F are dropped, so decomposed `e\u{301}` folds like precomposed `é`;
///   so are the invisible in-word format characters (soft hyphen, ZWJ, ZWNJ, word joiner, BOM).
/// - Fullwidth ASCII (U+FF01–U+FF5E) becomes ASCII.
///
/// German umlauts fold to the bare vowel (ü→u), not to the `ue` transliteration: "Müller" matches
/// "muller" but not "mueller".
public enum TextFolding {
    /// Returns `text` lowercased, with Latin diacritics stripped and ligatures spelled out.
    /// Characters that are not letters (spaces, punctuation, digits) are kept as they are.
    public static func fold(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let folded = fold(scalar)
            for index in 0..<folded.count {
                UTF8.encode(folded[index]) { bytes.append($0) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Up to three scalars: the folding of one input scalar (0 when it is dropped).
    struct Scalars {
        var count: Int
        var values: (UInt32, UInt32, UInt32)

        init() {
            count = 0
            values = (0, 0, 0)
        }

        init(_ a: UInt32) {
            count = 1
            values = (a, 0, 0)
        }

        init(_ a: UInt32, _ b: UInt32, _ c: UInt32 = 0) {
            count = c == 0 ? 2 : 3
            values = (a, b, c)
        }

        subscript(index: Int) -> Unicode.Scalar {
            let value = index == 0 ? values.0 : index == 1 ? values.1 : values.2
            return Unicode.Scalar(value) ?? "\u{FFFD}"
        }
    }

    /// Folds one scalar.
    static func fold(_ scalar: Unicode.Scalar) -> Scalars {
        let value = scalar.value
        if value < 0x80 {
            return Scalars(value >= 0x41 && value <= 0x5A ? value | 0x20 : value)
        }
        if value >= 0xC0 && value < 0x250 || value >= 0x1E00 && value < 0x1F00 {
            let packed = latinTable[Int(value >= 0x1E00 ? value - 0x1E00 + 0x190 : value - 0xC0)]
            if packed != 0 {
                let second = UInt32(packed >> 8)
                return second == 0 ? Scalars(UInt32(packed)) : Scalars(UInt32(packed & 0xFF), second)
            }
        }
        switch value {
        case 0x300...0x36F, 0xAD, 0x200C, 0x200D, 0x2060, 0xFEFF: return Scalars()
        case 0xFB00: return Scalars(0x66, 0x66)  // ﬀ
        case 0xFB01: return Scalars(0x66, 0x69)  // ﬁ
        case 0xFB02: return Scalars(0x66, 0x6C)  // ﬂ
        case 0xFB03: return Scalars(0x66, 0x66, 0x69)  // ﬃ
        case 0xFB04: return Scalars(0x66, 0x66, 0x6C)  // ﬄ
        case 0xFB05, 0xFB06: return Scalars(0x73, 0x74)  // ﬅ ﬆ
        case 0xFF01...0xFF5E:
            let ascii = value - 0xFEE0
            return Scalars(ascii >= 0x41 && ascii <= 0x5A ? ascii | 0x20 : ascii)
        default: break
        }
        let properties = scalar.properties
        guard properties.changesWhenLowercased else { return Scalars(value) }
        var result = Scalars()
        for lowered in properties.lowercaseMapping.unicodeScalars where result.count < 3 {
            switch result.count {
            case 0: result.values.0 = lowered.value
            case 1: result.values.1 = lowered.value
            default: result.values.2 = lowered.value
            }
            result.count += 1
        }
        return result
    }

    /// U+00C0–U+017F, one character per scalar: the ASCII letter it folds to, `.` for "not a letter,
    /// leave it", `*` for a two-letter folding (see `twoLetterFoldings`).
    static let latin1AndExtendedA =
        "aaaaaa*ceeeeiiii" + "dnooooo.ouuuuy**" + "aaaaaa*ceeeeiiii" + "dnooooo.ouuuuy*y"  // U+00C0–U+00FF
        + "aaaaaaccccccccdd" + "ddeeeeeeeeeegggg" + "gggghhhhiiiiiiii" + "ii**jjkkklllllll"  // U+0100–U+013F
        + "lllnnnnnnnnnoooo" + "oo**rrrrrrssssss" + "sstttttt" + "uuuuuuuu" + "uuuuwwyyyzzzzzzs"  // …U+017F

    /// The scalars of U+00C0–U+017F that fold to two letters.
    static let twoLetterFoldings: [UInt32: String] = [
        0xC6: "ae", 0xE6: "ae", 0xDE: "th", 0xFE: "th", 0xDF: "ss",
        0x132: "ij", 0x133: "ij", 0x152: "oe", 0x153: "oe",
    ]

    /// Packed foldings (low byte first letter, high byte optional second letter, 0 = none) for
    /// U+00C0–U+024F at indices 0..<0x190 and U+1E00–U+1EFF at indices 0x190..<0x290. Built once.
    static let latinTable: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 0x290)
        func pack(_ letters: String) -> UInt16 {
            let bytes = Array(letters.utf8)
            return UInt16(bytes[0]) | (bytes.count > 1 ? UInt16(bytes[1]) << 8 : 0)
        }
        for (offset, letter) in latin1AndExtendedA.utf8.enumerated() {
            let value = UInt32(0xC0 + offset)
            switch letter {
            case UInt8(ascii: "."): continue
            case UInt8(ascii: "*"): table[offset] = pack(twoLetterFoldings[value] ?? "?")
            default: table[offset] = UInt16(letter)
            }
        }
        let derived = Array(0x180..<0x250).map { ($0, $0 - 0xC0) } + Array(0x1E00..<0x1F00).map { ($0, $0 - 0x1E00 + 0x190) }
        for (value, index) in derived {
            if let scalar = Unicode.Scalar(UInt32(value)), let letters = baseLetters(of: scalar) {
                table[index] = pack(letters)
            }
        }
        return table
    }()

    /// The base letters of a Latin letter with diacritics, read from its Unicode name:
    /// "LATIN CAPITAL LETTER A WITH DOT BELOW" → "a"; digraphs AE, DZ, LJ, NJ → "ae", "dz", "lj", "nj".
    static func baseLetters(of scalar: Unicode.Scalar) -> String? {
        guard let name = scalar.properties.name else { return nil }
        if name == "LATIN CAPITAL LETTER SHARP S" { return "ss" }
        let prefixes = ["LATIN SMALL LETTER ", "LATIN CAPITAL LETTER "]
        guard let prefix = prefixes.first(where: { name.hasPrefix($0) }) else { return nil }
        let rest = name.dropFirst(prefix.count)
        let letter = rest.prefix { $0 != " " }
        let tail = rest.dropFirst(letter.count)
        let isLetters = letter.allSatisfy { $0 >= "A" && $0 <= "Z" }
        switch (letter.count, tail.hasPrefix(" WITH ")) {
        case (1, true) where isLetters:
            // "D WITH SMALL LETTER Z" (ǲ) is a digraph: keep both letters.
            let digraph = tail.hasPrefix(" WITH SMALL LETTER ") ? tail.dropFirst(19).prefix(1) : ""
            return (letter + digraph).lowercased()
        case (2, _) where ["AE", "DZ", "LJ", "NJ"].contains(String(letter)): return letter.lowercased()
        default: return nil
        }
    }
}
