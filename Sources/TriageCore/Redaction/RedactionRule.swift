import FoundationEssentials

/// One kind of personal or secret data to find in outbound text, and what to put in its place.
///
/// Built-ins (found by hand-written scanners, see ``Redactor``):
/// - `email`: `local@domain.tld`.
/// - `phone`: `+` and 8–15 digits (`+33 6 12 34 56 78`, `+1 (415) 555-2671`), North American
///   `(415) 555-2671` / `415-555-2671`, or national numbers starting with `0` written in groups
///   (`020 7946 0958`). Dates, times and plain digit runs are not phones.
/// - `iban`: a known country's length, grouped by four or not, with a valid mod-97 check.
/// - `card`: 13–19 digits (plain or in groups of four) with a known issuer prefix, the issuer's
///   length and a valid Luhn check digit.
/// - `ipv4`: four octets ≤ 255, but not a version (after `v`, `version`, `release`, `build`,
///   `firmware`, a `product/`), not part of a longer dotted number (OIDs, `1.2.3.4.5`), and not
///   followed by a pre-release suffix (`1.2.3.4-beta`).
/// - `ipv6`: eight groups, or `::` compression with at least two groups; times and MAC addresses
///   are not IPv6.
/// - `secret`: `Bearer` tokens, `Authorization:` values, `password=`, `token=`, `api_key=`,
///   `secret=` (and keys ending so) in `key=value` text, JSON and URL queries, and the password
///   of `user:password@` in URLs.
///
/// A user rule is a regular expression (`pattern:`), matched with Swift `Regex`.
public struct RedactionRule: Sendable, Equatable {
    /// What replaces a match.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// A hint that identifies nothing: `j***@example.com`, `****1111` (last four digits of
        /// cards, IBANs and phones), `[ipv4]`, `***` for secrets, `[NAME]` for user rules.
        case mask
        /// `hash:` and 12 hex digits of a keyed hash of the (normalised) value: stable across
        /// incidents, so the vendor can correlate without learning the value.
        case hash
        /// The whole field holding a match is left out of the outbound payload.
        case drop
    }

    /// What the rule finds.
    public enum Kind: Sendable, Equatable {
        /// The built-ins (see the type's description).
        case email, phone, iban, card, ipv4, ipv6, secret
        /// A user's regular expression.
        case pattern(RedactionPattern)
    }

    /// The name recorded when the rule fires (the built-in's name, or the user's).
    public var name: String
    /// What it finds.
    public var kind: Kind
    /// What replaces what it finds.
    public var mode: Mode

    /// Creates a rule; use ``builtIn(_:mode:)`` or ``pattern(name:_:mode:)`` to build one from text.
    public init(name: String, kind: Kind, mode: Mode = .mask) {
        self.name = name
        self.kind = kind
        self.mode = mode
    }

    /// The built-in rules' names, in the order the scanners prefer them on overlaps.
    public static let builtInNames = ["secret", "email", "iban", "card", "ipv6", "ipv4", "phone"]

    /// The built-in rule called `name`, or `nil` when there is none.
    public static func builtIn(_ name: String, mode: Mode = .mask) -> RedactionRule? {
        let kind: Kind
        switch name {
        case "email": kind = .email
        case "phone": kind = .phone
        case "iban": kind = .iban
        case "card": kind = .card
        case "ipv4": kind = .ipv4
        case "ipv6": kind = .ipv6
        case "secret": kind = .secret
        default: return nil
        }
        return RedactionRule(name: name, kind: kind, mode: mode)
    }

    /// Every built-in rule in `mode`.
    public static func allBuiltIns(mode: Mode = .mask) -> [RedactionRule] {
        builtInNames.compactMap { builtIn($0, mode: mode) }
    }

    /// A user rule from a regular expression.
    /// - Throws: ``RedactionPattern/Problem`` when the expression does not compile or matches empty text.
    public static func pattern(name: String, _ source: String, mode: Mode = .mask) throws(RedactionPattern.Problem)
        -> RedactionRule
    {
        RedactionRule(name: name, kind: .pattern(try RedactionPattern(source)), mode: mode)
    }

    /// Whether `name` may name a user rule: lower-case letters, digits, `-` and `_`, not a built-in's.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && !builtInNames.contains(name)
            && name.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
            }
    }

    /// Lower is preferred when two rules' matches overlap.
    var precedence: Int {
        switch kind {
        case .secret: 0
        case .pattern: 1
        case .email: 2
        case .iban: 3
        case .card: 4
        case .ipv6: 5
        case .ipv4: 6
        case .phone: 7
        }
    }
}
