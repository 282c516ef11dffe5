import Foundation
import Synchronization
import TriageCore

/// One token bucket per source, shared by all request handlers.
final class RateLimiter: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])
    private let limits: [String: RateLimit]

    init(sources: [SourceDefinition]) {
        var limits: [String: RateLimit] = [:]
        for source in sources {
            if let limit = source.rateLimit { limits[source.name] = limit }
        }
        self.limits = limits
    }

    /// `nil` when the request may go ahead, else the seconds until it may be retried.
    func take(_ source: String, now: Date) -> TimeInterval? {
        guard let limit = limits[source] else { return nil }
        return buckets.withLock { buckets in
            var bucket = buckets[source] ?? TokenBucket(limit: limit, now: now)
            let wait = bucket.take(now: now)
            buckets[source] = bucket
            return wait
        }
    }
}
