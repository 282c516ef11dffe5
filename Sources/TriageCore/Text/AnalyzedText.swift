/// An incident's text analysed once, so that each rule condition on it is a few hash lookups.
///
/// The text is folded (`TextFolding`: lowercase, no Latin diacritics, ß→ss) and split into words.
/// A word is a maximal run of letters, digits and combining marks; everything else separates words
/// (spaces, punctuation, `-`, `_`, `.`, `:`, `/`, apostrophes, emoji). So `db-7:9100` is the words
/// `db`, `7`, `9100`, and `l'incident` is `l`, `incident`. Han ideographs and kana are one word per
/// character, since those scripts do not separate words with spaces.
///
/// Matching is on whole words: `disk` does not match `diskette`, and a phrase matches where its
/// words occur consecutively, whatever separates them (`"no space left"` matches
/// `"No space\nleft on device"`, not `"no more space left"`).
///
/// Words are kept as folded UTF-8 in one buffer, indexed by a small open-addressing table keyed by
/// each word's 64-bit hash (randomly seeded per process, so crafted text cannot make the table
/// degrade); a match is confirmed by comparing the bytes.
public struct AnalyzedText: Sendable {
    /// The folded words' UTF-8, concatenated.
    let storage: [UInt8]
    /// Word `i` is `storage[offsets[i] ..< offsets[i + 1]]`.
    let offsets: [Int32]
    /// Word `i`'s hash (`AnalyzedText.hash(_:)`).
    let hashes: [UInt64]
    /// Position → the next position of the same word, or -1.
    let nextPosition: [Int32]
    /// Open addressing, linear probing: the first position of each distinct word, -1 for a free slot.
    /// Its count is a power of two at least twice the number of words (0 for no word).
    let slots: [Int32]

    /// Analyses `text`: linear in its length, about a microsecond for a 200-character alert.
    public init(_ text: String) {
        var storage: [UInt8] = []
        storage.reserveCapacity(text.utf8.count)
        var offsets: [Int32] = [0]
        var text = text
        text.makeContiguousUTF8()
        text.utf8.withContiguousStorageIfAvailable { Self.split($0, into: &storage, offsets: &offsets) }
        let count = offsets.count - 1
        var hashes = [UInt64](repeating: 0, count: count)
        var next = [Int32](repeating: -1, count: count)
        var capacity = count == 0 ? 0 : 2
        while capacity < 2 * count { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        storage.withUnsafeBufferPointer { bytes in
            for position in stride(from: count - 1, through: 0, by: -1) {
                let word = UnsafeBufferPointer(rebasing: bytes[Int(offsets[position])..<Int(offsets[position + 1])])
                let hash = Self.hash(word)
                hashes[position] = hash
                var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
                while slots[slot] >= 0 && hashes[Int(slots[slot])] != hash { slot = (slot + 1) & (capacity - 1) }
                if slots[slot] >= 0 { next[position] = slots[slot] }
                slots[slot] = Int32(position)
            }
        }
        self.storage = storage
        self.offsets = offsets
        self.hashes = hashes
        self.nextPosition = next
        self.slots = slots
    }

    /// The number of words.
    public var wordCount: Int { hashes.count }

    /// Whether the text has no word at all.
    public var isEmpty: Bool { hashes.isEmpty }

    /// The folded words, in order. Builds the strings on each call; matching never needs them.
    public var words: [String] {
        (0..<wordCount).map { String(decoding: word(at: $0), as: UTF8.self) }
    }

    /// The folded UTF-8 of the word at `position`.
    func word(at position: Int) -> ArraySlice<UInt8> {
        storage[Int(offsets[position])..<Int(offsets[position + 1])]
    }

    /// Whether the phrase's words occur consecutively in the text. One table probe for a single
    /// word; for a longer phrase, one probe and then a comparison at each place its first word occurs.
    public func contains(_ phrase: Phrase) -> Bool {
        guard let start = firstPosition(of: phrase.hashes[0]), word(at: start, equals: phrase.words[0]) else {
            return false
        }
        let length = phrase.hashes.count
        var position = start
        while position + length <= wordCount {
            var offset = 1
            while offset < length, hashes[position + offset] == phrase.hashes[offset] { offset += 1 }
            if offset == length, (1..<length).allSatisfy({ word(at: position + $0, equals: phrase.words[$0]) }) {
                return true
            }
            let next = nextPosition[position]
            if next < 0 { return false }
            position = Int(next)
        }
        return false
    }

    /// Whether any of the phrases occurs (`contains_any`); `false` for no phrases.
    public func contains(anyOf phrases: [Phrase]) -> Bool {
        phrases.contains { contains($0) }
    }

    /// Whether every phrase occurs (`contains_all`); `true` for no phrases.
    public func contains(allOf phrases: [Phrase]) -> Bool {
        phrases.allSatisfy { contains($0) }
    }

    /// The first of `phrases` that occurs, to explain a match; `nil` when none does.
    public func firstMatch(in phrases: [Phrase]) -> Phrase? {
        phrases.first { contains($0) }
    }

    /// The first position of the word with this hash, if any.
    func firstPosition(of hash: UInt64) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let position = Int(slots[slot])
            if position < 0 { return nil }
            if hashes[position] == hash { return position }
            slot = (slot + 1) & mask
        }
    }

    /// The hash of a folded word, the same for `AnalyzedText` and `Phrase` within a process: a
    /// wyhash-style multiply-mix over 8-byte chunks, keyed by a random per-process seed.
    static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let (seed, key) = hashSeed
        let raw = UnsafeRawBufferPointer(word)
        var hash = seed ^ UInt64(word.count)
        var index = 0
        while index + 8 <= raw.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self), key)
            index += 8
        }
        if index < raw.count {
            var tail: UInt64 = 0
            for byte in raw[index...].reversed() { tail = tail << 8 | UInt64(byte) }
            hash = mix(hash ^ tail, key)
        }
        return mix(hash ^ 0xE703_7ED1_A0B4_28DB, key ^ 0x8EBC_6AF0_9C88_C6E3)
    }

    /// Random per process, so that crafted text cannot make words collide in the table.
    static let hashSeed: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next() | 1)
    }()

    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Whether the word at `position` is `word`.
    func word(at position: Int, equals word: String) -> Bool {
        let start = Int(offsets[position])
        let end = Int(offsets[position + 1])
        return storage.withUnsafeBufferPointer { bytes in
            let stored = UnsafeBufferPointer(rebasing: bytes[start..<end])
            return word.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(stored) }
                ?? word.utf8.elementsEqual(stored)
        }
    }

    /// Splits UTF-8 text into folded words: appends each word's bytes to `storage` and its end to
    /// `offsets` (see the type's documentation for what a word is).
    static func split(_ utf8: UnsafeBufferPointer<UInt8>, into storage: inout [UInt8], offsets: inout [Int32]) {
        func endWord() {
            if storage.count > Int(offsets[offsets.count - 1]) { offsets.append(Int32(storage.count)) }
        }
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x80 {
                index += 1
                if byte >= 0x61 && byte <= 0x7A || byte >= 0x30 && byte <= 0x39 {
                    storage.append(byte)
                } else if byte >= 0x41 && byte <= 0x5A {
                    storage.append(byte | 0x20)
                } else {
                    endWord()
                }
                continue
            }
            let (value, length) = decode(utf8, at: index)
            index += length
            let folded = TextFolding.fold(Unicode.Scalar(value) ?? "\u{FFFD}")
            for output in 0..<folded.count {
                let scalar = folded[output]
                switch kind(of: scalar) {
                case .separator:
                    endWord()
                case .letter:
                    UTF8.encode(scalar) { storage.append($0) }
                case .singleCharacterWord:
                    endWord()
                    UTF8.encode(scalar) { storage.append($0) }
                    endWord()
                }
            }
        }
        endWord()
    }

    /// The scalar starting at `index` in valid UTF-8 (a String's or our own storage), and its length.
    static func decode(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let byte = utf8[index]
        if byte < 0x80 { return (UInt32(byte), 1) }
        let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
        var value = UInt32(byte & (0x7F >> length))
        for continuation in utf8[(index + 1)..<min(index + length, utf8.count)] {
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        return (value, length)
    }

    /// How a (folded) scalar takes part in words.
    enum ScalarKind {
        case separator, letter, singleCharacterWord
    }

    static func kind(of scalar: Unicode.Scalar) -> ScalarKind {
        let value = scalar.value
        if value < 0x80 {
            let lower = value | 0x20
            return lower >= 0x61 && lower <= 0x7A || value >= 0x30 && value <= 0x39 ? .letter : .separator
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .decimalNumber, .nonspacingMark,
            .spacingMark, .letterNumber:
            return .letter
        case .otherLetter, .modifierLetter:
            let isKana = value >= 0x3040 && value < 0x3100 || value >= 0x31F0 && value < 0x3200
                || value >= 0xFF66 && value < 0xFFA0
            return isKana || properties.isIdeographic ? .singleCharacterWord : .letter
        default:
            return .separator
        }
    }
}
