/// How one vendor fared in an assignment: excluded (with the first failing check) or scored.
public struct CandidateReport: Sendable, Equatable {
    public var name: String
    /// The first eligibility check it failed, as text; `nil` when eligible.
    public var excluded: String?
    /// Its weighted score in 0…1 when it was scored (general selection); `nil` otherwise.
    public var score: Double?
    /// The score's contributions by part: `attainment`, `load`, `cost`, `affinity` (they add up to
    /// `score`).
    public var parts: [String: Double]

    public init(name: String, excluded: String? = nil, score: Double? = nil, parts: [String: Double] = [:]) {
        self.name = name
        self.excluded = excluded
        self.score = score
        self.parts = parts
    }
}
