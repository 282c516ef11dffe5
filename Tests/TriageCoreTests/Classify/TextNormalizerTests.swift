import Testing

@testable import TriageCore

struct TextNormalizerTests {
    @Test(arguments: [
        ("fÃ¼r", "für"),
        ("Ã©chec rÃ©seau", "échec réseau"),
        ("Drucker fÃ¼r BÃ¼ro", "Drucker für Büro"),
        ("StraÃŸe", "Straße"),  // Ÿ is Windows-1252's 0x9F
        ("a â€“ b", "a – b"),
        ("naïve café", "naïve café"),  // already fine: unchanged
        ("Ã", "Ã"),  // a lone lead byte is not a sequence
        ("plain ASCII", "plain ASCII"),
    ])
    func repairsMojibake(_ text: String, _ expected: String) {
        #expect(TextNormalizer.repairMojibake(text) == expected)
    }

    @Test(arguments: [
        ("ﬁle ＳＥＲＶＥＲ", "file server"),
        ("x² m³ ①", "x2 m3 1"),
        ("a\u{00A0}b\u{2009}c", "a b c"),
        ("zero\u{200B}width", "zerowidth"),
        ("“quoted” – ok…", "\"quoted\" - ok..."),
        ("Données", "donnees"),
    ])
    func normalizes(_ text: String, _ expected: String) {
        #expect(TextNormalizer.normalize(text) == expected)
    }

    @Test(arguments: [
        // Accents fold, stop words (EN/FR/DE) go, light stemming.
        ("Données CORRUPTED à l'écran", ["donnee", "corrupt", "ecran"]),
        ("the printers are failing and jobs failed", ["printer", "fail", "job", "fail"]),
        ("access denied", ["access", "deny"]),
        // Mojibake is repaired before folding.
        ("Drucker fÃ¼r BÃ¼ro geht nicht", ["drucker", "buro", "geht", "nicht"]),
        // German: plural -ungen, closed compounds stay whole, hyphenated ones are whole and split.
        ("Datenbankverbindungen", ["datenbankverbindung"]),
        ("Datenbank-Verbindung", ["datenbank-verbindung", "datenbank", "verbindung"]),
        // Host names, paths and error codes: whole, then their parts.
        ("db-7.prod.example.com is down", ["db-7.prod.example.com", "db", "7", "prod", "example", "com", "down"]),
        ("/var/log/app.log full", ["var/log/app.log", "var", "log", "app", "log", "full"]),
        ("ORA-00942: table or view does not exist", ["ora-00942", "ora", "00942", "table", "view", "not", "exist"]),
        ("error 0x80070005", ["error", "0x80070005"]),
        ("HTTP 503 from api", ["http", "503", "api"]),
        // Long numbers become a shape token; short ones stay.
        ("ticket 1550391 on inplant_874773 in 2016", ["ticket", "<num>", "inplant_<num>", "inplant", "<num>", "2016"]),
    ])
    func tokens(_ text: String, _ expected: [String]) {
        #expect(TextNormalizer.tokens(text) == expected)
    }

    @Test func hashedFeaturesAreStableAcrossProcesses() {
        let hasher = FeatureHasher()
        let features = hasher.features("disk full")
        // Fixed seeds: these indices must never change, or saved models silently break.
        #expect(Array(features.indices.prefix(3)) == [27964, 156263, 332907])
        #expect(features.indices.count == 27)
        #expect(features == hasher.features("DISK   full!"))
        #expect(features.indices.contains { hasher.isWordFeature($0) })
        #expect(features.indices.contains { !hasher.isWordFeature($0) })
    }

    @Test func sublinearCountsAndNormalisation() {
        let hasher = FeatureHasher(characterNGrams: nil)
        let repeated = hasher.features("error error error")
        #expect(repeated.count == 2)  // the word and the pair "error error"
        #expect(repeated.values.allSatisfy { $0 > 1 })
        let unit = repeated.normalised()
        #expect(abs(unit.norm - 1) < 1e-6)
        #expect(abs(unit.dot(unit) - 1) < 1e-6)
        #expect(SparseVector.empty.normalised() == .empty)
    }

    @Test func sparseVectorMergesAndDots() {
        let a = SparseVector(pairs: [(5, 1), (2, 2), (5, 1), (9, 0)])
        #expect(a.indices == [2, 5])
        #expect(a.values == [2, 2])
        let b = SparseVector(uncheckedIndices: [1, 5, 7], values: [3, 0.5, 1])
        #expect(a.dot(b) == 1)
        #expect(a.keepingLargest(1).indices == [2])  // tie: the lower index
    }
}
