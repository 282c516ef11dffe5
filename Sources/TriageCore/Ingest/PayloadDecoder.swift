import FoundationEssentials

/// Reads one source kind's JSON into incident drafts.
///
/// Decoders are pure: `now` is passed in for formats whose meaning depends on it (Prometheus'
/// alert API resolves an alert by an `endsAt` in the past). Errors carry the JSON path.
public protocol PayloadDecoder {
    static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft]
}
