import GRDB

extension SQLiteStore {
    /// Migration `v13-outbox-order`: a creation sequence on outbox messages, so the claim can keep
    /// an incident's messages to one endpoint in the order they were queued.
    ///
    /// `seq` is set by a trigger to one more than the largest `seq` in the table, inside the
    /// inserting transaction. SQLite has one writer at a time, so `seq` follows commit order, and it
    /// survives `VACUUM` (which may renumber the implicit rowid of a table without an
    /// `INTEGER PRIMARY KEY`, as this one). Existing rows are numbered by (createdAt, rowid). The
    /// insert statements elsewhere need no change. A later migration that rebuilds the table must
    /// recreate the trigger and both indexes.
    static func migrateOutboxOrder(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE outboxMessage ADD COLUMN seq INTEGER;
                UPDATE outboxMessage SET seq = ordered.n
                    FROM (SELECT rowid AS r, ROW_NUMBER() OVER (ORDER BY createdAt, rowid) AS n FROM outboxMessage) AS ordered
                    WHERE outboxMessage.rowid = ordered.r;
                CREATE INDEX outbox_seq ON outboxMessage(seq);
                CREATE INDEX outbox_order ON outboxMessage(incidentId, endpoint, seq) WHERE status = 'pending';
                CREATE TRIGGER outbox_seq_assign AFTER INSERT ON outboxMessage WHEN NEW.seq IS NULL
                BEGIN
                    UPDATE outboxMessage SET seq = (SELECT IFNULL(MAX(seq), 0) + 1 FROM outboxMessage)
                    WHERE rowid = NEW.rowid;
                END;
                """)
    }
}
