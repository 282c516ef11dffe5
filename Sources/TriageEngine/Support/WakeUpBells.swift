/// The doorbells of one process's loops, for a store that can tell when another instance
/// queued work (PostgreSQL's LISTEN/NOTIFY): ringing one wakes that loop before its poll.
public struct WakeUpBells: Sendable {
    /// The triage worker: an incident was queued.
    public var work: Doorbell
    /// The dispatcher: an outbox message is due.
    public var outbox: Doorbell
    /// The SLA watcher: timers were planned or a clock needs replanning.
    public var timers: Doorbell

    public init(work: Doorbell, outbox: Doorbell, timers: Doorbell) {
        self.work = work
        self.outbox = outbox
        self.timers = timers
    }
}
