import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: ModelStore {
    public func loadModel(named name: String) async throws -> StoredModel? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM model WHERE name = ?", arguments: [name]) else {
                return nil
            }
            let body: Data = row["body"]
            return StoredModel(
                name: row["name"], body: Array(body), trainedAt: Date(millis: row["trainedAt"]), examples: row["examples"])
        }
    }

    public func saveModel(_ model: StoredModel) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO model (name, body, trainedAt, examples) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET body = excluded.body, trainedAt = excluded.trainedAt,
                        examples = excluded.examples
                    """,
                arguments: [model.name, Data(model.body), model.trainedAt.millis, model.examples])
        }
    }

    public func trainingExamples(target: ClassifierSettings.Target, limit: Int) async throws -> [TrainingExample] {
        let label: String =
            switch target {
            case .category: "d.category"
            case .vendor: "d.vendor"
            case .assignmentGroup: "json_extract(d.body, '$.labels.assignment_group')"
            }
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT i.id, i.title, i.description, \(label) AS label FROM incident i
                    JOIN decision d ON d.incidentId = i.id
                    WHERE i.status = 'resolved' AND i.redactedAt IS NULL AND \(label) IS NOT NULL
                        AND json_extract(d.body, '$.prediction') IS NULL
                    ORDER BY i.resolvedAt DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                let title: String = row["title"]
                let description: String = row["description"]
                return TrainingExample(id: row["id"], text: title + "\n" + description, label: row["label"])
            }
        }
    }

    public func openIncidents(since: Date) async throws -> [Incident] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM incident WHERE status != 'resolved' AND receivedAt >= ? ORDER BY receivedAt",
                arguments: [since.millis]
            ).compactMap { try Self.fetchIncident(db, id: $0) }
        }
    }
}
