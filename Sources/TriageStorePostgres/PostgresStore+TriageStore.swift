import TriageEngine

/// Every port: `triage serve --store postgres://…` runs on it.
extension PostgresStore: TriageStore {}
