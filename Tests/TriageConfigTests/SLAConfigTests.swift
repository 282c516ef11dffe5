import Foundation
import Testing
import TriageConfig
import TriageCore

/// SLA clock terms, escalation ladders and notify endpoints in vendors.yaml and rules.yaml.
struct SLAConfigTests {
    static let vendors = """
        calendars:
          paris-office:
            timezone: Europe/Paris
            hours: {mon-fri: "09:00-18:00"}
        notify:
          duty-manager: {url: "https://hooks.example.com/duty", headers_env: {Authorization: DUTY_AUTH}}
          on-call:
            url: http://127.0.0.1:9102/page
            signing_secret_env: ONCALL_SECRET
            max_concurrency: 2
        escalations:
          standard:
            - {at: 50%, notify: vendor}
            - {at: 12.5%, target: acknowledge, notify: [vendor, duty-manager]}
            - {at: 90, raise_priority: 1, tag: [at-risk, escalated]}
            - {at: 100%, reassign: backup, notify: on-call, repeat: 30m, repeat_limit: 6}
            - {remaining: 5m, target: acknowledge, tag: ack-at-risk}
          gentle:
            - at: 75%
              notify: duty-manager
              repeat: 1h
          quiet: []
        vendors:
          - name: acme
            endpoint: https://acme.example/hook
            backup: globex
            sla:
              P1: {acknowledge: 15m, resolve: 4h}
              clock: business
              pause_on: [waiting-on-customer, on-hold]
              escalation: standard
          - name: globex
            endpoint: https://globex.example/hook
            sla:
              clock: 24x7
              pause_on: pending-vendor
              escalation: gentle
          - name: initech
            endpoint: https://initech.example/hook
            sla:
              P2: {acknowledge: 1h, resolve: 1d}
              clock: paris-office
          - name: hooli
            endpoint: https://hooli.example/hook
        """
    static let rules = """
        calendars:
          weekdays: {always_open: true}
        sla_policies:
          expedite:
            P1: {acknowledge: 5m, resolve: 2h}
            clock: weekdays
            pause_on: []
            escalation: gentle
          calm:
            escalation: quiet
          plain:
            P2: {acknowledge: 30m, resolve: 8h}
        rules: []
        """

    @Test func laddersEndpointsAndClockTermsAreResolved() throws {
        let configuration = try ConfigLoader.load(sources: ConfigLoaderTests.sources, vendors: Self.vendors, rules: Self.rules)

        #expect(configuration.notifyEndpoints == [
            NotifyEndpoint(
                name: "duty-manager", url: "https://hooks.example.com/duty",
                target: DeliveryTarget(name: "notify:duty-manager", headerEnv: ["Authorization": "DUTY_AUTH"])),
            NotifyEndpoint(
                name: "on-call", url: "http://127.0.0.1:9102/page",
                target: DeliveryTarget(name: "notify:on-call", signingSecretEnv: "ONCALL_SECRET", maxConcurrency: 2)),
        ])

        #expect(configuration.escalations.keys.sorted() == ["gentle", "quiet", "standard"])
        let standard = try #require(configuration.escalations["standard"])
        #expect(standard.name == "standard")
        #expect(standard.steps == [
            EscalationStep(trigger: .percent(50), actions: [.notify("vendor")]),
            EscalationStep(target: .acknowledge, trigger: .percent(12.5), actions: [.notify("vendor"), .notify("duty-manager")]),
            EscalationStep(trigger: .percent(90), actions: [.raisePriority(1), .addTag("at-risk"), .addTag("escalated")]),
            EscalationStep(
                trigger: .percent(100), actions: [.reassignToBackup, .notify("on-call")], repeatEvery: .seconds(1800),
                repeatLimit: 6),
            EscalationStep(target: .acknowledge, trigger: .remaining(.seconds(300)), actions: [.addTag("ack-at-risk")]),
        ])
        #expect(standard.steps.map(\.label) == ["resolve 50%", "acknowledge 12.5%", "resolve 90%", "resolve 100%", "acknowledge 5m left"])
        let gentle = try #require(configuration.escalations["gentle"])
        #expect(gentle.steps == [
            EscalationStep(trigger: .percent(75), actions: [.notify("duty-manager")], repeatEvery: .seconds(3600))
        ])
        #expect(gentle.steps.first?.repeatLimit == 10)
        #expect(configuration.escalations["quiet"] == EscalationLadder(name: "quiet", steps: []))

        let vendors = Dictionary(uniqueKeysWithValues: configuration.vendors.map { ($0.name, $0) })
        let acme = try #require(vendors["acme"]).contract
        #expect(acme.targets == [.p1: SLATarget(acknowledge: .seconds(900), resolve: .seconds(14_400))])
        #expect(acme.clock == .vendorHours)
        #expect(acme.pauseOn == ["waiting-on-customer", "on-hold"])
        #expect(acme.escalation == standard)

        let globex = try #require(vendors["globex"]).contract
        #expect(globex.targets.isEmpty)
        #expect(globex.clock == .always)
        #expect(globex.pauseOn == ["pending-vendor"])
        #expect(globex.escalation == gentle)

        let initech = try #require(vendors["initech"]).contract
        #expect(initech.targets[.p2] == SLATarget(acknowledge: .seconds(3600), resolve: .seconds(86_400)))
        if case .calendar(let calendar) = initech.clock {
            #expect(calendar.name == "paris-office")
            #expect(calendar.zone.identifier == "Europe/Paris")
        } else {
            Issue.record("initech's clock should be the paris-office calendar, not \(initech.clock)")
        }
        #expect(initech.pauseOn.isEmpty)
        #expect(initech.escalation == nil)

        // Without clock terms the contract keeps its defaults.
        let hooli = try #require(vendors["hooli"]).contract
        #expect(hooli.clock == .vendorHours)
        #expect(hooli.pauseOn.isEmpty)
        #expect(hooli.escalation == nil)

        let policies = configuration.rules.slaPolicies
        let expedite = try #require(policies["expedite"])
        let weekdays = try #require(configuration.rules.resources.calendars["weekdays"])
        #expect(expedite.targets == [.p1: SLATarget(acknowledge: .seconds(300), resolve: .seconds(7200))])
        #expect(expedite.clock == .calendar(weekdays))
        #expect(expedite.pauseOn == [])
        #expect(expedite.escalation == gentle)
        let calm = try #require(policies["calm"])
        #expect(calm.targets.isEmpty)
        #expect(calm.escalation == EscalationLadder(name: "quiet", steps: []))
        #expect(calm.clock == nil)
        // A policy that says nothing about the clock keeps the vendor contract's terms (nil).
        let plain = try #require(policies["plain"])
        #expect(plain.clock == nil)
        #expect(plain.pauseOn == nil)
        #expect(plain.escalation == nil)
    }

    @Test func badLaddersEndpointsAndTermsSayWhereAndWhat() {
        let vendors = """
            calendars:
              night-shift: {always_open: true}
            notify:
              vendor: {url: "https://x.example/hook"}
              pager: {url: "ftp://pager.example/hook"}
            escalations:
              broken:
                - {at: 150%, notify: vendor}
                - {at: 50%, remaining: 5m, notify: vendor}
                - {at: 60%, repeat: 30m}
                - {at: 70%, notify: [vendor, boss]}
                - {at: 80%, raise_priority: 7}
                - {at: 90%, reassign: other}
                - {at: 95%, notify: pager, repeat_limit: 3}
                - {at: half, notify: vendor, when: later}
                - {remaining: 0s, notify: vendor, repeat: 30s}
            vendors:
              - name: acme
                endpoint: https://acme.example/hook
                sla:
                  P1: {acknowledge: 15m, resolve: 4h}
                  clock: nights
                  escalation: urgent
            """
        let rules = """
            calendars:
              weekdays: {always_open: true}
            sla_policies:
              expedite:
                P1: {acknowledge: 5m, resolve: 2h}
                clock: weekends
                escalation: urgent
            rules: []
            """
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: ConfigLoaderTests.sources, vendors: vendors, rules: rules)
        }
        #expect(error?.issues.map(\.description) == [
            "rules/vendors.yaml:4:3: notify endpoint name 'vendor' is reserved (notify: vendor sends to the assigned vendor)",
            "rules/vendors.yaml:5:16: notify endpoint 'pager' url must start with http:// or https://",
            "rules/vendors.yaml:8:12: escalation 'broken' step 1: at '150%' must be above 0% and at most 100%",
            "rules/vendors.yaml:9:7: escalation 'broken' step 2 has both 'at' and 'remaining'; give only one",
            "rules/vendors.yaml:10:7: escalation 'broken' step 3 has no action (give it notify, raise_priority, reassign or tag)",
            "rules/vendors.yaml:11:34: escalation 'broken' step 4: notify 'boss' is not vendor or an endpoint defined under notify (known: vendor, pager)",
            "rules/vendors.yaml:12:33: escalation 'broken' step 5: raise_priority must be between 1 and 4 (levels to raise, never above P1)",
            "rules/vendors.yaml:13:27: escalation 'broken' step 6: reassign 'other' is not supported (the only value is backup: the vendor's backup)",
            "rules/vendors.yaml:14:46: escalation 'broken' step 7: repeat_limit needs repeat (how often to fire the step again)",
            "rules/vendors.yaml:15:34: unknown key 'when' in escalation 'broken' step 8 (known: at, notify, raise_priority, reassign, remaining, repeat, repeat_limit, tag, target)",
            "rules/vendors.yaml:15:12: escalation 'broken' step 8: at 'half' is not a percentage (examples: 50%, 12.5%, 100%)",
            "rules/vendors.yaml:16:19: escalation 'broken' step 9: remaining must be above 0",
            "rules/vendors.yaml:16:47: escalation 'broken' step 9: repeat must be at least 1m",
            "rules/vendors.yaml:22:14: sla of vendor 'acme': clock 'nights' is not business, 24x7 or a calendar defined under calendars (calendars: night-shift)",
            "rules/vendors.yaml:23:19: sla of vendor 'acme': escalation 'urgent' is not defined under escalations in vendors.yaml (escalations: broken)",
            "rules/rules.yaml:6:12: SLA policy 'expedite': clock 'weekends' is not business, 24x7 or a calendar defined under calendars (calendars: weekdays)",
            "rules/rules.yaml:7:17: SLA policy 'expedite': escalation 'urgent' is not defined under escalations in vendors.yaml (escalations: broken)",
        ])
    }
}
