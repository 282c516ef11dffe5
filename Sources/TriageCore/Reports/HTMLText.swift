/// HTML escaping shared by every page triage renders (reports, dry-run pages, the dashboard).
public enum HTMLText {
    /// `text` safe in HTML text and in quoted attribute values: `& < > " '` become entities, and
    /// control characters other than tab and newlines (C0, DEL and C1) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
                    || (0x7F...0x9F).contains(scalar.value)
                {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
