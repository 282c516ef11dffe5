import Crypto
import Foundation

/// The hash chain that makes the audit trail tamper-evident. Each entry carries the hash of the
/// one before it and a SHA-256 over that hash and its own contents, so changing an entry breaks
/// its own hash, and removing or reordering entries breaks the link of the next one. The first
/// entry follows ``genesis``. Removing the newest entries leaves a shorter valid chain, which is
/// why `triage audit verify` prints the head hash: record it elsewhere (a ticket, another system's
/// log) and pass it back later with `--anchor`; the chain must still contain it.
public enum AuditChain {
    /// What the first entry follows.
    public static let genesis = String(repeating: "0", count: 64)

    /// `entry` sealed after `previous`: `previousHash` and `hash` set.
    public static func seal(_ entry: AuditEntry, after previous: String) -> AuditEntry {
        var sealed = entry
        sealed.previousHash = previous
        sealed.hash = hash(of: entry, after: previous)
        return sealed
    }

    /// The hash `entry` must carry when it follows `previous`: SHA-256, in lower-case hex, over the
    /// version tag, the previous hash and every field, each field prefixed by its length in bytes so
    /// no two different entries encode alike. The instant counts in whole milliseconds, as stored.
    public static func hash(of entry: AuditEntry, after previous: String) -> String {
        var bytes: [UInt8] = Array("triage-audit-v1\n".utf8)
        let millis = Int64((entry.at.timeIntervalSince1970 * 1000).rounded())
        for field in [previous, String(millis), entry.actor, entry.action, entry.target, String(entry.status), entry.detail] {
            let utf8 = Array(field.utf8)
            bytes += Array("\(utf8.count):".utf8) + utf8 + [0x0A]
        }
        return SHA256.hash(data: bytes).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }

    /// A break in the chain: the first entry that does not check out, and why.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// The entry's contents no longer give its hash: it was changed after it was written.
            case changed
            /// The entry does not name the one before it: entries in between were removed or reordered
            /// (or, for the first entry, entries before it were removed).
            case unlinked(expectedPrevious: String)
            /// A hash recorded earlier (an anchor) is not in the chain: the entries up to it were removed
            /// or the trail was rewritten.
            case anchorMissing(String)
        }

        public var entryID: Int64?
        public var kind: Kind

        public var description: String {
            let entry = entryID.map { "entry \($0)" } ?? "the trail"
            switch kind {
            case .changed:
                return "\(entry) was changed after it was written (its hash does not match its contents)"
            case .unlinked(let expected) where expected == AuditChain.genesis:
                return "\(entry) is the oldest but does not start the chain: older entries were removed"
            case .unlinked:
                return "\(entry) does not follow the entry before it: entries between them were removed or reordered"
            case .anchorMissing(let anchor):
                return "the recorded hash \(anchor) is not in the trail (newest: \(entry)): entries were removed or the trail was rewritten"
            }
        }
    }

    /// Checks entries oldest first, one at a time, so a long trail is verified in pages.
    public struct Verifier: Sendable {
        public private(set) var count = 0
        public private(set) var head = AuditChain.genesis
        public private(set) var lastID: Int64?
        public private(set) var firstBreak: Break?
        var seen: Set<String> = []
        let anchor: String?

        /// A verifier that also requires `anchor` (a hash printed by an earlier verify) to be in the chain.
        public init(anchor: String? = nil) {
            self.anchor = anchor
        }

        /// Checks the next entry; the first break is kept, later entries are still counted.
        public mutating func check(_ entry: AuditEntry) {
            count += 1
            defer {
                head = entry.hash
                lastID = entry.id
                if entry.hash == anchor { seen.insert(entry.hash) }
            }
            guard firstBreak == nil else { return }
            if entry.previousHash != head {
                firstBreak = Break(entryID: entry.id, kind: .unlinked(expectedPrevious: head))
            } else if AuditChain.hash(of: entry, after: entry.previousHash) != entry.hash {
                firstBreak = Break(entryID: entry.id, kind: .changed)
            }
        }

        /// After the last entry: the anchor, when given, must have been seen.
        public mutating func finish() {
            guard firstBreak == nil, let anchor, !seen.contains(anchor) else { return }
            firstBreak = Break(entryID: lastID, kind: .anchorMissing(anchor))
        }
    }

    /// Verifies a whole trail from `store`, reading it in pages of `pageSize`.
    public static func verify(_ store: any AdminStore, anchor: String? = nil, pageSize: Int = 1_000)
        async throws -> Verifier
    {
        var verifier = Verifier(anchor: anchor)
        var after: Int64 = 0
        while true {
            let page = try await store.auditEntries(after: after, limit: pageSize)
            for entry in page { verifier.check(entry) }
            guard let last = page.last?.id, page.count == pageSize else { break }
            after = last
        }
        verifier.finish()
        return verifier
    }
}
