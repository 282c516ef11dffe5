import FoundationEssentials

extension JSONCursor {
    /// The first of `cursors` that holds non-blank text (see ``optionalNonEmpty()``); `nil` when none does.
    ///
    /// Reads in order and stops at the first text, so a later field of the wrong type is not an error
    /// once an earlier one answered.
    public static func firstText(_ cursors: JSONCursor...) throws(PayloadError) -> String? {
        for cursor in cursors {
            if let text = try cursor.optionalNonEmpty() { return text }
        }
        return nil
    }

    /// A list of names here: an array of scalars (numbers as text) or of objects with a `name`
    /// (GitHub labels, Jira components), or one string split at `separators` (senders that template
    /// a list into a single string). Absent or null is empty; blank entries are dropped.
    public func stringList(splittingAt separators: Set<Character> = [","]) throws(PayloadError) -> [String] {
        if case .string(let text)? = value {
            return text.split { separators.contains($0) }.map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
        }
        var names: [String] = []
        for item in try optionalArray() {
            let name: String?
            if case .object? = item.value {
                name = try item["name"].optionalNonEmpty()
            } else {
                name = try item.optionalNonEmpty()
            }
            if let name { names.append(name) }
        }
        return names
    }
}

extension Dictionary where Key == String, Value == String {
    /// Adds one label per name, `<prefix><name>: "true"` (so a rule can test `tag:vip: "*"`), and
    /// `listKey`: all names joined by `,` in the sender's order. Nothing is added for no names.
    mutating func addList(_ names: [String], prefix: String, listKey: String) {
        guard !names.isEmpty else { return }
        for name in names { self[prefix + name] = "true" }
        self[listKey] = names.joined(separator: ",")
    }
}
