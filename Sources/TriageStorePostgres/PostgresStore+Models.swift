import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: ModelStore {
    /// The last saved model called `name`, or `nil`.
    public func loadModel(named name: String) async throws -> StoredModel? {
        try await read { c in
            guard let row = try await c.row("SELECT * FROM model WHERE name = \(name)", logger: logger) else { return nil }
            let body = try row.get("body", as: Data.self)
            return StoredModel(
                name: try row.get("name"), body: Array(body), trainedAt: Date(millis: try row.get("trainedat")),
                examples: try row.get("examples"))
        }
    }

    /// Saves (replaces) a model; concurrent saves of one name leave the last one.
    public func saveModel(_ model: StoredModel) async throws {
        try await transaction { c in
            _ = try await c.query(
                """
                INSERT INTO model (name, body, trainedAt, examples)
                VALUES (\(model.name), \(Data(model.body)), \(model.trainedAt.millis), \(model.examples))
                ON CONFLICT (name) DO UPDATE SET body = excluded.body, trainedAt = excluded.trainedAt,
                    examples = excluded.examples
                """, logger: logger)
        }
    }

    /// Resolved incidents whose `target` a rule decided (the decision carries no prediction),
    /// newest first. The label is read from the decision: its column, or for an assignment group
    /// its `labels.assignment_group`.
    public func trainingExamples(target: ClassifierSettings.Target, limit: Int) async throws -> [TrainingExample] {
        try await read { c in
            try await c.rows(
                """
                SELECT id, title, description, label FROM (
                    SELECT i.id, i.title, i.description, i.resolvedAt,
                        CASE \(target.rawValue)
                            WHEN 'category' THEN d.category
                            WHEN 'vendor' THEN d.vendor
                            ELSE d.body::jsonb #>> '{labels,assignment_group}'
                        END AS label
                    FROM incident i JOIN decision d ON d.incidentId = i.id
                    WHERE i.status = 'resolved' AND i.redactedAt IS NULL AND (d.body::jsonb ->> 'prediction') IS NULL
                ) AS example
                WHERE label IS NOT NULL
                ORDER BY resolvedAt DESC LIMIT \(limit)
                """, logger: logger
            ).map { row in
                let title = try row.get("title", as: String.self)
                let description = try row.get("description", as: String.self)
                return TrainingExample(
                    id: try row.get("id"), text: title + "\n" + description, label: try row.get("label"))
            }
        }
    }

    /// Incidents still open that were received at or after `since`, oldest first.
    public func openIncidents(since: Date) async throws -> [Incident] {
        try await read { c in
            try await c.rows(
                """
                SELECT * FROM incident WHERE status <> 'resolved' AND receivedAt >= \(since.millis)
                ORDER BY receivedAt, id COLLATE "C"
                """, logger: logger
            ).compactMap { try PGRows.incident(from: $0) }
        }
    }
}
