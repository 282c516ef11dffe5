import TriageCore
import Yams

/// The clock terms an SLA carries besides its per-priority targets: in a vendor's `sla:`
/// (vendors.yaml) and in an entry of `sla_policies:` (rules.yaml).
///
/// ```yaml
/// sla:
///   P1: {acknowledge: 15m, resolve: 4h}
///   clock: business                      # the vendor's calendar (default); 24x7; or a calendar name
///   pause_on: [waiting-on-customer]      # incident status values that stop the clocks
///   escalation: standard                 # a ladder from `escalations:` in vendors.yaml
/// ```
/// A calendar name resolves against the `calendars:` of the same file. In an SLA policy a term
/// left out keeps the vendor contract's own.
enum SLATermsSection {
    static let keys: Set<String> = ["clock", "pause_on", "escalation"]

    /// What an SLA says about its clocks; `nil` where it says nothing.
    struct Terms {
        var clock: SLAClockChoice?
        var pauseOn: [String]?
        var escalation: EscalationLadder?
    }

    /// The terms in `map` (an `sla:` or policy mapping whose keys are already checked).
    /// - Parameter what: How messages name the SLA: `sla of vendor 'acme'`, `SLA policy 'expedite'`.
    static func read(
        _ map: Node.Mapping, what: String, file: YAMLFile, calendars: [String: BusinessCalendar],
        ladders: [String: EscalationLadder]
    ) -> Terms {
        var terms = Terms()
        if let node = map["clock"], let text = file.string(node, "\(what) clock") {
            switch text {
            case "business": terms.clock = .vendorHours
            case "24x7": terms.clock = .always
            default:
                if let calendar = calendars[text] { terms.clock = .calendar(calendar) } else {
                    file.fail(
                        node,
                        "\(what): clock '\(text)' is not business, 24x7 or a calendar defined under calendars "
                            + "(calendars: \(list(calendars.keys)))")
                }
            }
        }
        if let node = map["pause_on"] {
            let values = file.strings(node, "\(what) pause_on")
            if values.contains(where: \.isEmpty) { file.fail(node, "\(what): pause_on values must not be empty") }
            terms.pauseOn = values.filter { !$0.isEmpty }
        }
        if let node = map["escalation"], let name = file.string(node, "\(what) escalation") {
            if let ladder = ladders[name] { terms.escalation = ladder } else {
                file.fail(
                    node,
                    "\(what): escalation '\(name)' is not defined under escalations in vendors.yaml "
                        + "(escalations: \(list(ladders.keys)))")
            }
        }
        return terms
    }

    /// A vendor's contract: the `sla:` targets (read as before) and its clock terms.
    static func contract(
        _ node: Node?, vendor: String, file: YAMLFile, calendars: [String: BusinessCalendar],
        ladders: [String: EscalationLadder]
    ) -> Contract {
        var contract = Contract(targets: VendorsSection.readSLA(file, node, vendor: vendor))
        guard let map = node?.mapping else { return contract }
        let terms = read(map, what: "sla of vendor '\(vendor)'", file: file, calendars: calendars, ladders: ladders)
        if let clock = terms.clock { contract.clock = clock }
        if let pauseOn = terms.pauseOn { contract.pauseOn = pauseOn }
        contract.escalation = terms.escalation
        return contract
    }

    static func list(_ names: some Collection<String>) -> String {
        names.isEmpty ? "none" : names.sorted().joined(separator: ", ")
    }
}
