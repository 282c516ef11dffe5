extension PostgresStore {
    /// Migration `v6-outbox-order`: a creation sequence on outbox messages, so the claim can keep an
    /// incident's messages to one endpoint in the order they were queued.
    ///
    /// A trigger sets `seq` to the next value of `outbox_seq` when an insert leaves it out (every
    /// insert but a copy); existing rows are numbered by (createdAt, id). A row inserted with its
    /// own `seq` (`triage migrate` copies SQLite's into an empty database) moves the sequence past
    /// it, so later messages still number after the copied ones. Messages for one
    /// incident queued by two transactions at the same instant are numbered in the order they took
    /// their values, which may differ from their commit order: such messages are concurrent, neither
    /// caused the other, and either order is a valid one.
    static let outboxOrderMigration: (name: String, sql: [String]) = (
        "v6-outbox-order",
        [
            "ALTER TABLE outboxMessage ADD COLUMN seq BIGINT",
            "CREATE SEQUENCE outbox_seq AS BIGINT OWNED BY outboxMessage.seq",
            """
            UPDATE outboxMessage SET seq = ordered.n
            FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY createdAt, id COLLATE "C") AS n FROM outboxMessage) AS ordered
            WHERE outboxMessage.id = ordered.id
            """,
            "SELECT setval('outbox_seq', COALESCE((SELECT MAX(seq) FROM outboxMessage), 0) + 1, false)",
            "ALTER TABLE outboxMessage ALTER COLUMN seq SET NOT NULL",
            "CREATE INDEX outbox_order ON outboxMessage(incidentId, endpoint, seq) WHERE status = 'pending'",
            """
            CREATE FUNCTION outbox_seq_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.seq IS NULL THEN
                    NEW.seq := nextval('outbox_seq');
                ELSIF NEW.seq >= (SELECT last_value FROM outbox_seq) THEN
                    PERFORM setval('outbox_seq', NEW.seq);
                END IF;
                RETURN NEW;
            END
            $$
            """,
            """
            CREATE TRIGGER outbox_seq_follow BEFORE INSERT ON outboxMessage
            FOR EACH ROW EXECUTE FUNCTION outbox_seq_follow()
            """,
        ]
    )
}
