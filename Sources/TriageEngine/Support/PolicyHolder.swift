import Foundation
import Synchronization
import TriageCore

/// The rules and vendors in force, swapped atomically on reload (SIGHUP or `POST /admin/reload`).
///
/// A worker reads ``current`` once per incident, so every decision is made entirely under one
/// version of the configuration: never half old rules, half new.
public final class PolicyHolder: Sendable {
    public struct Snapshot: Sendable {
        public var policy: TriagePolicy
        /// 1 for the configuration loaded at start-up, one more per successful reload.
        public var version: Int
    }

    private let state: Mutex<Snapshot>

    public init(_ policy: TriagePolicy) {
        state = Mutex(Snapshot(policy: policy, version: 1))
    }

    public var current: TriagePolicy { state.withLock { $0.policy } }
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Installs `policy` and returns its version.
    @discardableResult
    public func replace(with policy: TriagePolicy) -> Int {
        state.withLock { state in
            state = Snapshot(policy: policy, version: state.version + 1)
            return state.version
        }
    }
}
