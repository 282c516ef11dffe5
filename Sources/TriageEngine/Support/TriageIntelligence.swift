import Foundation
import TriageCore

/// What the worker consults besides the rules: the classifier in force (with its history of
/// past incidents) and the duplicate finder.
public struct TriageIntelligence: Sendable {
    public var classifier: ClassifierHolder
    public var neighbours: Int
    public var duplicates: DuplicateFinder?
    /// Whether an incident is still open (a duplicate candidate may have been resolved elsewhere).
    public var isOpen: @Sendable (IncidentID) async -> Bool

    public init(
        classifier: ClassifierHolder, neighbours: Int = 3, duplicates: DuplicateFinder? = nil,
        isOpen: @escaping @Sendable (IncidentID) async -> Bool
    ) {
        self.classifier = classifier
        self.neighbours = neighbours
        self.duplicates = duplicates
        self.isOpen = isOpen
    }
}
