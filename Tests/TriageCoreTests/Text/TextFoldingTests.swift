import Testing

@testable import TriageCore

struct TextFoldingTests {
    @Test(arguments: [
        // French
        ("Données", "donnees"),
        ("ÉTÉ à Noël, ça coûte cher", "ete a noel, ca coute cher"),
        ("Œuvre, cœur, Ægis", "oeuvre, coeur, aegis"),
        ("L'hôpital où j'ai été", "l'hopital ou j'ai ete"),
        ("Île, naïve, Hélène, garçon", "ile, naive, helene, garcon"),
        // German
        ("Straße", "strasse"),
        ("GRÖSSE Größe ẞ", "grosse grosse ss"),
        ("Müller über Äpfel", "muller uber apfel"),
        // Spanish
        ("Mañana él comió piñata", "manana el comio pinata"),
        ("¿Qué año? ¡Señor!", "¿que ano? ¡senor!"),
        // Polish
        ("Zażółć gęślą jaźń", "zazolc gesla jazn"),
        ("ŁÓDŹ, Kraków", "lodz, krakow"),
        // Other Latin: Nordic, Icelandic, Hungarian, Czech, Turkish, Romanian, Vietnamese
        ("Ærø Øresund Århus", "aero oresund arhus"),
        ("Þórshöfn Ðað", "thorshofn dad"),
        ("Erdős Pál, Ősz", "erdos pal, osz"),
        ("Dvořák, Šťastný", "dvorak, stastny"),
        ("İstanbul ılık", "istanbul ilik"),
        ("Timișoara ȘȚ", "timisoara st"),
        ("Tiếng Việt", "tieng viet"),
        // Decomposed accents, ligatures, fullwidth, soft hyphen
        ("e\u{301}te\u{301} Mu\u{308}ller", "ete muller"),
        ("ﬁle ﬂag eﬀort oﬃce", "file flag effort office"),
        ("ＤＩＳＫ ＦＵＬＬ！", "disk full!"),
        ("Daten\u{AD}bank", "datenbank"),
        // Not letters: unchanged
        ("db-7:9100 /var/log 97% ×÷", "db-7:9100 /var/log 97% ×÷"),
        ("", ""),
    ])
    func foldsLatinText(_ text: String, _ expected: String) {
        #expect(TextFolding.fold(text) == expected)
    }

    @Test(arguments: [
        ("Москва", "москва"),
        ("ΣΟΦΙΑ", "σοφια"),
        ("Ёлка й", "ёлка й"),
        ("東京 データベース", "東京 データベース"),
        ("שלום مرحبا", "שלום مرحبا"),
        ("서버 다운", "서버 다운"),
    ])
    func leavesOtherScriptsLowercased(_ text: String, _ expected: String) {
        #expect(TextFolding.fold(text) == expected)
    }

    @Test func foldsEveryLatinLetterOfLatin1AndExtendedAToASCII() {
        for value in UInt32(0xC0)..<0x180 where value != 0xD7 && value != 0xF7 {
            let scalar = Unicode.Scalar(value)!
            let folded = TextFolding.fold(String(scalar))
            #expect(!folded.isEmpty && folded.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }, "\(scalar) → \(folded)")
        }
    }

    @Test func explicitTableAgreesWithUnicodeNames() {
        for value in UInt32(0xC0)..<0x180 {
            let scalar = Unicode.Scalar(value)!
            guard let base = TextFolding.baseLetters(of: scalar) else { continue }
            #expect(TextFolding.fold(String(scalar)) == base, "\(scalar)")
        }
    }

    @Test(arguments: ["Données", "Straße", "ＤＩＳＫ", "ﬃ", "İ", "ǅ", "e\u{301}", "Москва"])
    func isIdempotent(_ text: String) {
        let folded = TextFolding.fold(text)
        #expect(TextFolding.fold(folded) == folded)
    }
}
