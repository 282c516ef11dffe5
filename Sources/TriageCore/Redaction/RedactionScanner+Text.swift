/// E-mail addresses and secrets: bearer tokens, `Authorization` values, `key=value` secrets and
/// URL passwords.
extension RedactionScanner {
    /// Key names (or endings after `_`, `-` or `.`) whose value is a secret, lower case.
    static let secretKeys: [[UInt8]] = [
        "authorization", "password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "apikey", "api_key", "api-key",
        "accesskey", "access_key", "secretkey", "secret_key", "privatekey", "private_key", "signature", "credential",
        "credentials", "sessionid", "session_id", "auth",
    ].map { Array($0.utf8) }

    /// An e-mail address around the `@` at `at`.
    func emailAt(_ text: UnsafeBufferPointer<UInt8>, _ at: Int, into matches: inout [Match]) {
        let count = text.count
        var start = at
        while start > 0, at - start < 64, Self.isLocalPart(text[start - 1]) { start -= 1 }
        while start < at, text[start] == UInt8(ascii: ".") { start += 1 }
        guard start < at, text[at - 1] != UInt8(ascii: ".") else { return }
        // `scheme://user:password@host` and `scheme://user@host` are a URL's credentials (the secret
        // rule's), not an address.
        if start > 0, text[start - 1] == UInt8(ascii: ":"), Self.inURLAuthority(text, start - 1) { return }
        if start >= 2, text[start - 1] == UInt8(ascii: "/"), text[start - 2] == UInt8(ascii: "/") { return }
        var index = at + 1
        var labelStart = index
        var lastDot = -1
        while index < count, index - at <= 254 {
            let byte = text[index]
            if byte.isASCIIAlnum || byte == UInt8(ascii: "-") || byte >= 0x80 {
                index += 1
            } else if byte == UInt8(ascii: "."), index > labelStart, index + 1 < count,
                text[index + 1].isASCIIAlnum || text[index + 1] >= 0x80
            {
                lastDot = index
                index += 1
                labelStart = index
            } else {
                break
            }
        }
        guard lastDot > at, index - lastDot - 1 >= 2 else { return }
        for position in (lastDot + 1)..<index where !text[position].isASCIILetter { return }
        matches.append(Match(start: start, end: index, rule: email))
    }

    static func isLocalPart(_ byte: UInt8) -> Bool {
        byte.isASCIIAlnum || byte >= 0x80 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "%")
    }

    /// Whether the `:` at `colon` sits in the authority of a `scheme://` URL.
    static func inURLAuthority(_ text: UnsafeBufferPointer<UInt8>, _ colon: Int) -> Bool {
        var index = colon - 1
        while index >= 0, !isURLStop(text[index]) { index -= 1 }
        return index >= 2 && text[index] == UInt8(ascii: "/") && text[index - 1] == UInt8(ascii: "/")
            && text[index - 2] == UInt8(ascii: ":")
    }

    static func isURLStop(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\\")
            || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }

    /// The password of `scheme://user:password@host` at the `:` of `://`.
    func userinfoAt(_ text: UnsafeBufferPointer<UInt8>, _ colon: Int, into matches: inout [Match]) {
        let count = text.count
        guard colon > 0, colon + 3 < count, text[colon - 1].isASCIILetter, text[colon + 1] == UInt8(ascii: "/"),
            text[colon + 2] == UInt8(ascii: "/")
        else { return }
        var index = colon + 3
        var separator = -1
        while index < count, !Self.isURLStop(text[index]) {
            if text[index] == UInt8(ascii: ":"), separator < 0 { separator = index }
            index += 1
        }
        guard index < count, text[index] == UInt8(ascii: "@"), separator > 0, separator + 1 < index else { return }
        matches.append(Match(start: separator + 1, end: index, rule: secret))
    }

    /// A `Bearer <token>` at the word starting at `start`.
    func bearerAt(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, into matches: inout [Match]) {
        let count = text.count
        let word: StaticString = "bearer"
        guard start + 7 < count else { return }
        for offset in 0..<6 where text[start + offset].asciiLowered != word.utf8Start[offset] { return }
        var index = start + 6
        while index < count, text[index] == UInt8(ascii: " "), index - start < 9 { index += 1 }
        guard index > start + 6 else { return }
        let tokenStart = index
        var symbols = false
        while index < count {
            let byte = text[index]
            if byte.isASCIILetter {
            } else if byte.isASCIIDigit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
            {
                symbols = true
            } else {
                break
            }
            index += 1
        }
        let length = index - tokenStart
        // "Bearer authentication failed" is prose: a token is long, or mixes in digits or symbols.
        guard length >= 8, symbols || length >= 20 else { return }
        matches.append(Match(start: tokenStart, end: index, rule: secret))
    }

    /// The value of a secret `key=value`, `key: value`, `"key": "value"` at the separator at `separator`.
    func keyValueAt(_ text: UnsafeBufferPointer<UInt8>, _ separator: Int, into matches: inout [Match]) {
        let count = text.count
        let equals = text[separator] == UInt8(ascii: "=")
        var keyEnd = separator
        if equals { while keyEnd > 0, text[keyEnd - 1] == UInt8(ascii: " "), separator - keyEnd < 2 { keyEnd -= 1 } }
        if keyEnd > 0, text[keyEnd - 1] == UInt8(ascii: "\"") || text[keyEnd - 1] == UInt8(ascii: "'") {
            keyEnd -= 1
            if keyEnd > 0, text[keyEnd - 1] == UInt8(ascii: "\\") { keyEnd -= 1 }
        }
        var keyStart = keyEnd
        while keyStart > 0, keyEnd - keyStart < 48, Self.isKey(text[keyStart - 1]) { keyStart -= 1 }
        guard keyStart < keyEnd, let key = Self.secretKey(text, keyStart, keyEnd) else { return }
        var index = separator + 1
        if !equals, index < count, text[index] == UInt8(ascii: ":") || text[index] == UInt8(ascii: "/") { return }
        while index < count, text[index] == UInt8(ascii: " ") || text[index] == UInt8(ascii: "\t"), index - separator <= 3 { index += 1 }
        var quote: UInt8?
        if index + 1 < count, text[index] == UInt8(ascii: "\\"), text[index + 1] == UInt8(ascii: "\"") {
            quote = UInt8(ascii: "\"")
            index += 2
        } else if index < count, text[index] == UInt8(ascii: "\"") || text[index] == UInt8(ascii: "'") {
            quote = text[index]
            index += 1
        }
        let authorization = key == 0
        var valueStart = index
        if authorization {
            // Keep the scheme (`Basic`, `Bearer`, `Digest`): only the credentials go.
            var word = index
            while word < count, text[word].isASCIILetter { word += 1 }
            if word > index, word - index <= 12, word + 1 < count, text[word] == UInt8(ascii: " "), text[word + 1] > 0x20 {
                valueStart = word + 1
            }
        }
        var end = valueStart
        while end < count, end - valueStart < 2048 {
            let byte = text[end]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\\") { break }
            if let quote {
                if byte == quote { break }
            } else if authorization {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<") { break }
            } else if Self.endsValue(byte) {
                break
            }
            end += 1
        }
        guard end > valueStart else { return }
        // Already masked (`***`): nothing to hide.
        if (valueStart..<end).allSatisfy({ text[$0] == UInt8(ascii: "*") }) { return }
        matches.append(Match(start: valueStart, end: end, rule: secret))
    }

    static func isKey(_ byte: UInt8) -> Bool {
        byte.isASCIIAlnum || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    static func endsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "'"),
            UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"):
            true
        default: false
        }
    }

    /// The index in ``secretKeys`` of the key in `start..<end` (whole, or its ending after `_`,
    /// `-` or `.`), case-insensitive; `nil` when it is not a secret's key.
    static func secretKey(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let length = end - start
        // Every key ends in one of these letters: most keys are rejected here.
        switch text[end - 1].asciiLowered {
        case UInt8(ascii: "n"), UInt8(ascii: "d"), UInt8(ascii: "s"), UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "y"),
            UInt8(ascii: "l"), UInt8(ascii: "h"):
            break
        default:
            return nil
        }
        for (number, key) in secretKeys.enumerated() where key.count <= length {
            let from = end - key.count
            if from > start {
                let before = text[from - 1]
                guard before == UInt8(ascii: "_") || before == UInt8(ascii: "-") || before == UInt8(ascii: ".") else { continue }
            }
            var same = true
            for offset in 0..<key.count where text[from + offset].asciiLowered != key[offset] {
                same = false
                break
            }
            if same { return number }
        }
        return nil
    }
}
