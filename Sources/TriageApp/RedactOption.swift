import ArgumentParser
import Foundation
import TriageConfig
import TriageCore
import TriageEngine

/// `--redact PROFILE` of `triage dry-run` and `triage export`: the report or export passes through
/// a redaction profile from vendors.yaml `redaction.profiles` (its rules and `drop_fields`), as a
/// vendor's deliveries do. The store and the inputs are not changed.
struct RedactOption {
    let profile: RedactionProfile
    let outbound: OutboundRedaction
    let redactor: Redactor

    /// The profile called `name` in `configuration`.
    /// - Throws: A `ValidationError` naming the profiles there are.
    init(_ name: String, configuration: TriageConfiguration) throws {
        guard let profile = configuration.redactionProfiles[name] else {
            let known = configuration.redactionProfiles.keys.sorted().joined(separator: ", ")
            throw ValidationError(
                "--redact '\(name)': no such profile in vendors.yaml redaction.profiles"
                    + (known.isEmpty ? " (none is defined)" : " (profiles: \(known))"))
        }
        self.profile = profile
        self.outbound = OutboundRedaction(profile: profile)
        self.redactor = Redactor(rules: profile.rules, keyedHash: RedactionHMAC.keyedHash(key: profile.key))
    }

    /// The profile `name` (if given) from the configuration in `directory`; configuration errors
    /// are printed and exit with status 2, as `dry-run` does.
    static func load(_ name: String?, config directory: String) throws -> RedactOption? {
        guard let name else { return nil }
        return try RedactOption(name, configuration: DryRunCommand.load(directory))
    }

    /// `text` redacted; empty when a `drop` rule fired in it.
    func text(_ text: String) -> String {
        let result = redactor.redact(text)
        return result.dropped ? "" : result.text
    }

    /// A dry-run row with its title and explanation redacted.
    func outcome(_ outcome: DryRun.Outcome) -> DryRun.Outcome {
        var out = outcome
        out.title = outbound.sends("title") ? text(outcome.title) : ""
        out.explanation = outbound.sends("explanation") ? outcome.explanation.map(text).filter { !$0.isEmpty } : []
        return out
    }

    /// An exported incident with its fields, raw payload, explanation, history and delivery
    /// endpoints redacted, and `drop_fields` left out.
    func archive(_ archive: IncidentArchive) -> IncidentArchive {
        var out = archive
        let applied = outbound.apply(to: archive.detail.incident, explanation: archive.detail.decision?.explanation ?? [])
        out.detail.incident = applied.incident
        out.detail.decision?.explanation = applied.explanation
        if let labels = archive.detail.decision?.labels { out.detail.decision?.labels = labels.mapValues(text) }
        out.payload.body = text(archive.payload.body)
        out.detail.events = archive.detail.events.map { event in
            var event = event
            event.detail = text(event.detail)
            return event
        }
        out.detail.deliveries = archive.detail.deliveries.map { delivery in
            var delivery = delivery
            delivery.endpoint = text(delivery.endpoint)
            return delivery
        }
        return out
    }
}
