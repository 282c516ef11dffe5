/// Labels as a JSON object with sorted keys, written by hand: it is on every intake, and a
/// `JSONEncoder` round costs more than the SQL around it.
enum LabelsJSON {
    static func encode(_ labels: [String: String]) -> String {
        var out = "{"
        for (index, key) in labels.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            append(key, to: &out)
            out += ":"
            append(labels[key] ?? "", to: &out)
        }
        return out + "}"
    }

    static func append(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
