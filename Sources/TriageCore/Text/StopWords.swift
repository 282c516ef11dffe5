/// Function words of English, French and German, in folded form (see `TextFolding`), that carry
/// no meaning for similarity: articles, pronouns, prepositions, conjunctions, auxiliaries.
///
/// Used only by similarity scoring, never by phrase matching (`"no space left"` still needs its
/// three words). Negations (`not`, `no`, `pas`, `nicht`, `kein`) and words that mean something in
/// alerts (`down`, `up`, `out`, `off`) are deliberately kept.
enum StopWords {
    /// English, ~90 words; `s` and `t` are what remains of `it's`, `don't` after splitting.
    static let english: [String] = [
        "a", "an", "the", "and", "or", "but", "if", "then", "else", "of", "to", "in", "on", "at", "by",
        "for", "with", "from", "into", "onto", "over", "under", "about", "as", "than", "so", "too",
        "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having",
        "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "shall",
        "this", "that", "these", "those", "it", "its", "i", "you", "he", "she", "we", "they", "me",
        "him", "her", "us", "them", "my", "your", "our", "their", "his", "there", "here",
        "which", "who", "whom", "what", "when", "where", "why", "how", "while", "s", "t",
        "very", "just", "also", "all", "any", "some", "each", "such", "again", "more", "most",
    ]

    /// French, ~90 words, folded (`à`→`a`, `été`→`ete`, `ça`→`ca`); single letters are elisions
    /// (`l'`, `d'`, `qu'` …) split off by word splitting.
    static let french: [String] = [
        "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "et", "ou", "mais",
        "donc", "ni", "a", "en", "dans", "par", "pour", "sur", "sous", "avec", "sans", "chez", "vers",
        "entre", "ce", "cet", "cette", "ces", "c", "ca", "qui", "que", "qu", "quoi", "dont", "il",
        "elle", "ils", "elles", "on", "je", "j", "tu", "nous", "vous", "me", "m", "te", "se", "s",
        "lui", "leur", "leurs", "y", "son", "sa", "ses", "mon", "ma", "mes", "ton", "ta", "tes",
        "notre", "nos", "votre", "vos", "est", "sont", "etait", "etaient", "ete", "etre", "avoir",
        "ai", "as", "avons", "avez", "ont", "sera", "seront", "fait", "plus", "tres", "aussi", "n",
        "ne", "tout", "tous", "toute", "toutes",
    ]

    /// German, ~100 words, folded (`für`→`fur`, `über`→`uber`, `können`→`konnen`).
    static let german: [String] = [
        "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen",
        "und", "oder", "aber", "doch", "sondern", "in", "im", "ins", "an", "am", "auf", "aus", "bei",
        "beim", "mit", "nach", "von", "vom", "zu", "zum", "zur", "fur", "uber", "unter", "vor",
        "durch", "gegen", "ohne", "um", "bis", "ist", "sind", "war", "waren", "sein", "seine",
        "seiner", "wird", "werden", "wurde", "wurden", "hat", "haben", "hatte", "kann", "konnen",
        "muss", "soll", "es", "er", "sie", "wir", "ihr", "ihre", "ich", "du", "man", "sich", "mich",
        "dich", "uns", "euch", "dass", "da", "als", "wie", "wenn", "weil", "ob", "so", "auch", "noch",
        "nur", "schon", "sehr", "hier", "dort", "dieser", "diese", "dieses", "diesen", "diesem",
        "welche", "welcher", "was", "wer", "alle", "alles",
    ]

    /// Whether `word` (already folded) is a stop word in any of the three languages.
    static func contains(_ word: String) -> Bool {
        var word = word
        return word.withUTF8 { contains(hash: AnalyzedText.hash($0)) }
    }

    /// Whether the word with this `AnalyzedText.hash` is a stop word: one probe, usually.
    static func contains(hash: UInt64) -> Bool {
        var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
        while table[slot] != 0 {
            if table[slot] == hash { return true }
            slot = (slot + 1) & (table.count - 1)
        }
        return false
    }

    /// Open addressing, linear probing, 0 = free: the hashes of the three lists, a quarter full.
    static let table: [UInt64] = {
        var table = [UInt64](repeating: 0, count: 1024)
        for var word in english + french + german {
            let hash = word.withUTF8 { AnalyzedText.hash($0) }
            var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
            while table[slot] != 0 && table[slot] != hash { slot = (slot + 1) & (table.count - 1) }
            table[slot] = hash
        }
        return table
    }()
}
