import TriageEngine

/// The SQLite store implements every port `triage serve` needs.
extension SQLiteStore: TriageStore {}
