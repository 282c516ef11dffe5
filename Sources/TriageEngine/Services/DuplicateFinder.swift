import Foundation
import Logging
import Synchronization
import TriageCore

/// Finds the open incident a new one repeats: text similar enough (cosine of hashed word and
/// character n-grams), received within the window, in the same scope (service or source).
///
/// The index lives in memory, rebuilt from the store's open incidents at start-up; a match is
/// confirmed against the store (the matched incident may have been resolved by another process).
public final class DuplicateFinder: Sendable {
    public struct Match: Sendable, Equatable {
        public var id: IncidentID
        public var score: Double
    }

    public let settings: DuplicateSettings
    private let index: Mutex<NeighbourIndex>
    /// Documents added since the last prune: the window is swept once this reaches a quarter of the
    /// index (at least 1,024), so memory follows the window and the sweep's cost is amortised.
    private let addedSincePrune = Mutex(0)
    private let hasher = FeatureHasher()

    public init(settings: DuplicateSettings) {
        self.settings = settings
        self.index = Mutex(NeighbourIndex())
    }

    /// The number of incidents in the index.
    public var count: Int { index.withLock { $0.count } }

    func vector(_ incident: Incident) -> SparseVector {
        hasher.features(incident.title + "\n" + incident.description).normalised()
    }

    /// Drops the incidents received before `cutoff` once enough have been added since the last sweep:
    /// nothing older than the window can match, and without this the index grew with every incident.
    func prune(before cutoff: Date) {
        let size = count
        let due = addedSincePrune.withLock { added in
            added += 1
            guard added >= max(1_024, size / 4) else { return false }
            added = 0
            return true
        }
        if due { index.withLock { _ = $0.removeAll(before: cutoff) } }
    }

    /// Adds incidents (at start-up, the open ones within the window).
    public func load(_ incidents: [Incident]) {
        let entries = incidents.map { ($0, vector($0)) }
        index.withLock { index in
            for (incident, vector) in entries {
                index.add(
                    id: incident.id.rawValue, vector: vector, label: nil, time: incident.receivedAt,
                    scope: settings.scopeKey(of: incident))
            }
        }
    }

    /// The open incident `incident` repeats, if any; then `incident` joins the index.
    /// - Parameter isOpen: Asks the store whether a candidate is still open.
    public func check(_ incident: Incident, now: Date, isOpen: (IncidentID) async -> Bool) async -> Match? {
        let vector = vector(incident)
        let since = now.addingTimeInterval(-settings.window)
        let candidates = index.withLock {
            $0.nearest(vector, k: 3, scope: settings.scopeKey(of: incident), since: since, minimumScore: settings.threshold)
        }
        var match: Match?
        for candidate in candidates where candidate.id != incident.id.rawValue {
            guard let id = IncidentID(candidate.id) else { continue }
            if await isOpen(id) {
                match = Match(id: id, score: candidate.score)
                break
            }
            _ = index.withLock { $0.remove(id: candidate.id) }
        }
        index.withLock {
            $0.add(
                id: incident.id.rawValue, vector: vector, label: nil, time: incident.receivedAt,
                scope: settings.scopeKey(of: incident))
        }
        prune(before: since)
        return match
    }
}
