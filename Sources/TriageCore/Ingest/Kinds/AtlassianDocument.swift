import FoundationEssentials

/// Plain text from an Atlassian Document Format value (Jira Cloud's rich text in `description` and
/// comments): `{"type": "doc", "content": [{"type": "paragraph", "content": [{"type": "text", …}]}]}`.
///
/// Text nodes give their `text`, mentions, emoji and dates their `attrs.text`, `hardBreak` a line
/// break; block nodes (paragraphs, headings, list items, code blocks, …) are separated by line
/// breaks. Marks (bold, links) are dropped. Unknown nodes give the text of their content.
public enum AtlassianDocument {
    /// The document's text, trimmed; a plain string is returned as it is, null or absent is empty.
    /// Anything else that is not an object is a shape error.
    public static func text(_ cursor: JSONCursor) throws(PayloadError) -> String {
        switch cursor.value {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case .object?: return render(cursor).trimmedSpaces
        case let other?:
            throw cursor.error("expected a string or an Atlassian Document Format object, found \(other.typeName)")
        }
    }

    static let inlineTypes: Set<String> = ["text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status"]

    /// One node's text. Depth is bounded by ``JSONValue/maximumDepth``, so recursion is safe.
    static func render(_ node: JSONCursor) -> String {
        guard case .object(let members)? = node.value else { return "" }
        let type = members["type"]?.scalarText ?? ""
        switch type {
        case "text": return members["text"]?.scalarText ?? ""
        case "hardBreak": return "\n"
        case "mention", "emoji", "date", "status":
            return node["attrs"]["text"].value?.scalarText ?? node["attrs"]["shortName"].value?.scalarText ?? ""
        case "inlineCard": return node["attrs"]["url"].value?.scalarText ?? ""
        default: break
        }
        guard case .array(let children)? = members["content"] else { return "" }
        let isInline = children.contains { child in
            guard case .object(let fields) = child, let childType = fields["type"]?.scalarText else { return false }
            return inlineTypes.contains(childType)
        }
        let parts = children.indices.map { render(node["content"][$0]) }
        return isInline ? parts.joined() : parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
