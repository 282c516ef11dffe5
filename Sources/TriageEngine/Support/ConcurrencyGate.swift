import Synchronization

/// Counts what is in flight per key (a delivery target, or the dispatcher as a whole) and makes
/// callers over the limit wait their turn, first come first served; past `maxWaiting` waiters a
/// caller is refused at once instead, so one slow target cannot hold every slot.
public final class ConcurrencyGate: Sendable {
    private struct Lane {
        var limit = Int.max
        var active = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let lanes = Mutex<[String: Lane]>([:])

    public init() {}

    /// Takes a slot of `key`, waiting while `limit` are taken. Returns `false` without waiting when
    /// `maxWaiting` callers already wait.
    public func enter(_ key: String, limit: Int, maxWaiting: Int = .max) async -> Bool {
        enum Step { case entered, refused, wait }
        // The continuation is created first so that registering as a waiter and checking the
        // count happen under one lock.
        var step = Step.wait
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            step = lanes.withLock { lanes -> Step in
                var lane = lanes[key, default: Lane()]
                lane.limit = limit
                defer { lanes[key] = lane }
                if lane.active < limit {
                    lane.active += 1
                    return .entered
                }
                guard lane.waiters.count < maxWaiting else { return .refused }
                lane.waiters.append(continuation)
                return .wait
            }
            if step != .wait { continuation.resume() }
        }
        return step != .refused
    }

    /// Takes up to `count` free slots of `key` without waiting; returns how many it took.
    public func take(_ key: String, limit: Int, upTo count: Int) -> Int {
        lanes.withLock { lanes in
            var lane = lanes[key, default: Lane()]
            let taken = max(0, min(count, limit - lane.active))
            lane.active += taken
            lanes[key] = lane
            return taken
        }
    }

    /// Gives back `count` slots of `key`; each goes to the longest waiter, if any.
    public func leave(_ key: String, count: Int = 1) {
        var resumed: [CheckedContinuation<Void, Never>] = []
        lanes.withLock { lanes in
            guard var lane = lanes[key] else { return }
            for _ in 0..<count {
                if lane.waiters.isEmpty {
                    lane.active -= 1
                } else {
                    resumed.append(lane.waiters.removeFirst())  // the slot passes to the waiter
                }
            }
            if lane.active == 0 && lane.waiters.isEmpty { lanes[key] = nil } else { lanes[key] = lane }
        }
        for waiter in resumed { waiter.resume() }
    }

    /// Slots of `key` in use (for tests and metrics).
    public func active(_ key: String) -> Int { lanes.withLock { $0[key]?.active ?? 0 } }

    /// The keys with every slot taken and at least as many callers again waiting: more work for
    /// them is better left where it is for now.
    public func saturated() -> [String] {
        lanes.withLock { lanes in
            lanes.compactMap { key, lane in lane.active >= lane.limit && lane.waiters.count >= lane.limit ? key : nil }
        }
    }

    /// Callers waiting for a slot of `key`.
    public func waiting(_ key: String) -> Int { lanes.withLock { $0[key]?.waiters.count ?? 0 } }
}
