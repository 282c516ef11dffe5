import FoundationEssentials
import TriageCore

/// What the payload targets feed their bytes to: the public decoding entry points of every source kind.
///
/// Any input may be rejected, but only with a ``PayloadError`` that says where (a JSON path from `$`)
/// and what; anything else (a trap, a sanitizer report, a hang) is a finding.
public enum PayloadHarness {
    /// The decoder a target exercises: a ``SourceKind``, or Prometheus' `/api/v2/alerts` body.
    public enum Decoder: Sendable {
        /// `SourceKind.drafts(from:source:mapping:now:)` for one kind (generic also with field mappings).
        case kind(SourceKind)
        /// ``AlertmanagerAPIPayload/drafts(from:source:now:)``.
        case alertmanagerAPI
    }

    /// The instant decoders are given as `now` (inputs must decode the same way on every run).
    static let now = Date(timeIntervalSince1970: 1_795_944_600)

    /// Mappings for the generic target: one per element of `$.events` (as `fixtures/payloads/generic/mapped.json`
    /// is written), and one for the whole body.
    static let mappings: [FieldMapping] = {
        func path(_ text: String) -> JSONPath {
            do { return try JSONPath(parsing: text) } catch { fatalError("bad fuzz mapping path \(text): \(error.message)") }
        }
        return [
            FieldMapping(
                items: path("$.events"), title: path("$.check.name"), description: path("$.check.output"),
                severity: path("$.level"), service: path(#"$["service name"]"#), dedupKey: path("$.check.id"),
                status: path("$.state"), occurredAt: path("$.time"), link: path("$.url"),
                labels: ["team": path("$.owner.team")], labelsFrom: path("$.tags"), resolvedValues: ["up", "ok"]),
            FieldMapping(
                title: path("$.title"), severity: path("$.level[0]"), status: path("$.state"),
                occurredAt: path("$.time"), labelsFrom: path("$"), acknowledgedValues: []),
        ]
    }()

    /// Decodes `bytes` with `decoder`; traps if a rejection does not say where and what.
    public static func run(_ decoder: Decoder, _ bytes: [UInt8]) {
        switch decoder {
        case .kind(let kind):
            check { () throws(PayloadError) in try kind.drafts(from: bytes, source: "fuzz", now: now) }
            if kind == .generic {
                for mapping in mappings {
                    check { () throws(PayloadError) in
                        try kind.drafts(from: bytes, source: "fuzz", mapping: mapping, now: now)
                    }
                }
            }
        case .alertmanagerAPI:
            check { () throws(PayloadError) in try AlertmanagerAPIPayload.drafts(from: bytes, source: "fuzz", now: now) }
        }
        if let value = try? JSONValue.parse(bytes) { _ = PayloadDetection.kind(of: value) }
    }

    /// Runs one decode: drafts must carry a title, errors a path from `$` and a message.
    static func check(_ decode: () throws(PayloadError) -> [IncidentDraft]) {
        do {
            for draft in try decode() where draft.title.isEmpty {
                fatalError("a draft without a title was accepted")
            }
        } catch {
            guard error.path.hasPrefix("$"), !error.message.isEmpty else {
                fatalError("a rejection that does not say where and what: '\(error.path)' '\(error.message)'")
            }
        }
    }
}
