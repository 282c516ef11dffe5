import Testing

@testable import TriageCore

struct AnalyzedTextTests {
    @Test(arguments: [
        ("Disk FULL on /var/log", ["disk", "full", "on", "var", "log"]),
        ("db-7:9100", ["db", "7", "9100"]),
        ("orders-db-3.prod.example.com", ["orders", "db", "3", "prod", "example", "com"]),
        ("user_id=42, retries: 3", ["user", "id", "42", "retries", "3"]),
        ("L'incident n'est pas résolu", ["l", "incident", "n", "est", "pas", "resolu"]),
        ("Größe der Datenbank-Verbindung", ["grosse", "der", "datenbank", "verbindung"]),
        ("🔥disk🔥full🔥", ["disk", "full"]),
        ("e\u{301}te\u{301}\tÉTÉ\nete", ["ete", "ete", "ete"]),
        ("東京 データ", ["東", "京", "デ", "ー", "タ"]),
        ("", []),
        ("  -- ... //  ", []),
    ])
    func splitsIntoFoldedWords(_ text: String, _ expected: [String]) {
        let analyzed = AnalyzedText(text)
        #expect(analyzed.words == expected)
        #expect(analyzed.wordCount == expected.count)
        #expect(analyzed.isEmpty == expected.isEmpty)
    }

    @Test(arguments: [
        // Word boundaries
        ("Disk full on db-7", "disk", true),
        ("Diskette drive failed", "disk", false),
        ("disk", "diskette", false),
        ("subdisk", "disk", false),
        // Phrases: consecutive words, across punctuation and line breaks
        ("No space left on device", "no space left", true),
        ("No space\nleft on device", "no space left", true),
        ("No space. Left on device", "no space left", true),
        ("no more space left", "no space left", false),
        ("left on device: no space", "no space left", false),
        ("device: no space left", "space left", true),
        ("device: no space left", "no space left", true),
        ("device: no space", "no space left", false),
        ("disk disk full", "disk full", true),
        ("full disk, disk is full", "disk full", false),
        ("a b a b c", "a b c", true),
        // Accents and case on either side
        ("Données indisponibles", "donnees", true),
        ("donnees indisponibles", "DONNÉES", true),
        ("Straße gesperrt", "strasse", true),
        ("STRASSE GESPERRT", "Straße", true),
        ("base de données saturée", "Base de Donnees", true),
        ("Zażółć gęślą jaźń", "zazolc gesla", true),
        // Numbers and host names
        ("db-7:9100 down", "db-7", true),
        ("db-7:9100 down", "db 7", true),
        ("db-7:9100 down", "DB_7", true),
        ("host db-7:9100 down", "7:9100", true),
        ("db-70 down", "db-7", false),
        ("db-17 down", "db-7", false),
        ("HTTP 503 from api", "503", true),
        ("HTTP 5030 from api", "503", false),
        // Empty text
        ("", "disk", false),
        ("   ", "no space left", false),
    ])
    func matchesPhrases(_ text: String, _ phrase: String, _ expected: Bool) throws {
        let compiled = try #require(Phrase(phrase))
        #expect(AnalyzedText(text).contains(compiled) == expected)
    }

    @Test func combinesPhrases() throws {
        let title = AnalyzedText("Database timeout on orders-db-3")
        let all = try ["database", "timeout"].map { try #require(Phrase($0)) }
        let any = try ["disk full", "no space left", "timeout"].map { try #require(Phrase($0)) }
        #expect(title.contains(allOf: all))
        #expect(!AnalyzedText("Database backup done").contains(allOf: all))
        #expect(title.contains(anyOf: any))
        #expect(title.firstMatch(in: any)?.text == "timeout")
        #expect(!title.contains(anyOf: []))
        #expect(title.contains(allOf: []))
        #expect(AnalyzedText("").firstMatch(in: any) == nil)
    }

    @Test func findsEveryWordOfALongText() throws {
        let words = (0..<2000).map { "w\($0)" }
        let text = AnalyzedText(words.joined(separator: " ") + " w0 w1 w2")
        #expect(text.wordCount == 2003)
        for word in words {
            let phrase = try #require(Phrase(word))
            #expect(text.contains(phrase))
        }
        let present = try #require(Phrase("w1999 w0 w1 w2"))
        let absent = try #require(Phrase("w2000"))
        let broken = try #require(Phrase("w2 w3 w4 w6"))
        #expect(text.contains(present))
        #expect(!text.contains(absent))
        #expect(!text.contains(broken))
    }

    @Test(arguments: ["", "   ", "--", "🔥", "..."])
    func rejectsPhrasesWithoutWords(_ text: String) {
        #expect(Phrase(text) == nil)
    }

    @Test func compilesPhrases() throws {
        let phrase = try #require(Phrase("  Base de Données / DB-7  "))
        #expect(phrase.words == ["base", "de", "donnees", "db", "7"])
        #expect(phrase.text == "  Base de Données / DB-7  ")
        #expect(phrase.description == phrase.text)
        #expect(Phrase("disk full") == Phrase("disk full"))
        #expect(Phrase("disk full") != Phrase("Disk Full"))  // same words, written differently
        #expect(Set([Phrase("a"), Phrase("a"), Phrase("b")]).count == 2)
    }
}
