import GRDB

extension SQLiteStore {
    /// Named, append-only migrations; never edit one that has shipped.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rawPayload (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        source TEXT NOT NULL,
                        contentType TEXT,
                        body BLOB NOT NULL,
                        receivedAt INTEGER NOT NULL
                    );
                    CREATE TABLE incident (
                        id TEXT PRIMARY KEY,
                        source TEXT NOT NULL,
                        externalId TEXT,
                        dedupKey TEXT NOT NULL,
                        title TEXT NOT NULL,
                        description TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        labels TEXT NOT NULL,
                        service TEXT,
                        status TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'acknowledged', 'resolved')),
                        occurredAt INTEGER NOT NULL,
                        receivedAt INTEGER NOT NULL,
                        updatedAt INTEGER NOT NULL,
                        rawPayloadId INTEGER NOT NULL REFERENCES rawPayload(id)
                    );
                    CREATE UNIQUE INDEX incident_open_dedup ON incident(source, dedupKey) WHERE status != 'resolved';
                    CREATE TABLE workItem (
                        incidentId TEXT PRIMARY KEY REFERENCES incident(id),
                        status TEXT NOT NULL CHECK (status IN ('queued', 'leased', 'done', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        availableAt INTEGER NOT NULL,
                        leaseOwner TEXT,
                        leaseUntil INTEGER,
                        lastError TEXT,
                        enqueuedAt INTEGER NOT NULL
                    );
                    CREATE INDEX workItem_claim ON workItem(status, availableAt);
                    CREATE TABLE decision (
                        incidentId TEXT PRIMARY KEY REFERENCES incident(id),
                        decidedAt INTEGER NOT NULL,
                        category TEXT,
                        priority TEXT NOT NULL,
                        vendor TEXT,
                        abstained INTEGER NOT NULL,
                        body TEXT NOT NULL
                    );
                    CREATE TABLE outboxMessage (
                        id TEXT PRIMARY KEY,
                        incidentId TEXT NOT NULL REFERENCES incident(id),
                        vendor TEXT NOT NULL,
                        endpoint TEXT NOT NULL,
                        body BLOB NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        nextAttemptAt INTEGER NOT NULL,
                        leaseOwner TEXT,
                        leaseUntil INTEGER,
                        createdAt INTEGER NOT NULL,
                        deliveredAt INTEGER,
                        deadReason TEXT
                    );
                    CREATE INDEX outbox_due ON outboxMessage(status, nextAttemptAt);
                    CREATE TABLE deliveryAttempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        messageId TEXT NOT NULL REFERENCES outboxMessage(id),
                        number INTEGER NOT NULL,
                        startedAt INTEGER NOT NULL,
                        durationMs INTEGER NOT NULL,
                        httpStatus INTEGER,
                        failureReason TEXT,
                        failureMessage TEXT,
                        UNIQUE (messageId, number)
                    );
                    CREATE TABLE slaTimer (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        incidentId TEXT NOT NULL REFERENCES incident(id),
                        kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'resolve')),
                        dueAt INTEGER NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'stopped', 'fired')),
                        UNIQUE (incidentId, kind)
                    );
                    CREATE INDEX slaTimer_due ON slaTimer(status, dueAt);
                    CREATE TABLE incidentEvent (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        incidentId TEXT NOT NULL REFERENCES incident(id),
                        at INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX incidentEvent_incident ON incidentEvent(incidentId, id);
                    CREATE TABLE rejectedPayload (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        source TEXT NOT NULL,
                        contentType TEXT,
                        body BLOB NOT NULL,
                        receivedAt INTEGER NOT NULL,
                        reason TEXT NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2-ingest") { db in
            try db.execute(
                sql: """
                    ALTER TABLE incident ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE incident ADD COLUMN lastSeenAt INTEGER;
                    ALTER TABLE incident ADD COLUMN acknowledgedAt INTEGER;
                    ALTER TABLE incident ADD COLUMN resolvedAt INTEGER;
                    ALTER TABLE incident ADD COLUMN link TEXT;
                    CREATE INDEX incident_resolved_dedup ON incident(source, dedupKey, resolvedAt)
                        WHERE status = 'resolved';
                    ALTER TABLE workItem ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
                    CREATE TABLE webhookDelivery (
                        source TEXT NOT NULL,
                        deliveryId TEXT NOT NULL,
                        receivedAt INTEGER NOT NULL,
                        PRIMARY KEY (source, deliveryId)
                    ) WITHOUT ROWID;
                    CREATE INDEX webhookDelivery_age ON webhookDelivery(receivedAt);
                    ALTER TABLE rejectedPayload ADD COLUMN status INTEGER NOT NULL DEFAULT 400;
                    ALTER TABLE rejectedPayload ADD COLUMN bodyBytes INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE rejectedPayload ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
                    """
            )
        }
        migrator.registerMigration("v3-models") { db in
            try db.execute(
                sql: """
                    CREATE TABLE model (
                        name TEXT PRIMARY KEY,
                        body BLOB NOT NULL,
                        trainedAt INTEGER NOT NULL,
                        examples INTEGER NOT NULL
                    );
                    CREATE INDEX incident_resolved ON incident(resolvedAt) WHERE status = 'resolved';
                    """
            )
        }
        migrator.registerMigration("v4-vendor-stats") { db in
            try db.execute(
                sql: """
                    CREATE TABLE vendorLoad (
                        vendor TEXT NOT NULL, priority TEXT NOT NULL, open INTEGER NOT NULL,
                        PRIMARY KEY (vendor, priority)
                    ) WITHOUT ROWID;
                    CREATE TABLE vendorDaily (
                        vendor TEXT NOT NULL, day TEXT NOT NULL, assigned INTEGER NOT NULL, met INTEGER NOT NULL,
                        missed INTEGER NOT NULL, PRIMARY KEY (vendor, day)
                    ) WITHOUT ROWID;
                    CREATE TABLE vendorAffinity (
                        vendor TEXT NOT NULL, service TEXT NOT NULL, handled INTEGER NOT NULL,
                        PRIMARY KEY (vendor, service)
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v5-outbox-dropped") { db in
            // SQLite cannot change a CHECK constraint: rebuild the table with 'dropped' allowed.
            try db.execute(
                sql: """
                    CREATE TABLE outboxMessage_new (
                        id TEXT PRIMARY KEY,
                        incidentId TEXT NOT NULL REFERENCES incident(id),
                        vendor TEXT NOT NULL,
                        endpoint TEXT NOT NULL,
                        body BLOB NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'dropped')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        nextAttemptAt INTEGER NOT NULL,
                        leaseOwner TEXT,
                        leaseUntil INTEGER,
                        createdAt INTEGER NOT NULL,
                        deliveredAt INTEGER,
                        deadReason TEXT
                    );
                    INSERT INTO outboxMessage_new SELECT id, incidentId, vendor, endpoint, body, status, attempts,
                        nextAttemptAt, leaseOwner, leaseUntil, createdAt, deliveredAt, deadReason FROM outboxMessage;
                    DROP TABLE outboxMessage;
                    ALTER TABLE outboxMessage_new RENAME TO outboxMessage;
                    CREATE INDEX outbox_due ON outboxMessage(status, nextAttemptAt);
                    """
            )
        }
        migrator.registerMigration("v6-outbox-method") { db in
            // Write-backs may PATCH (ServiceNow) or PUT; vendor deliveries stay POST.
            try db.execute(sql: "ALTER TABLE outboxMessage ADD COLUMN method TEXT NOT NULL DEFAULT 'POST'")
        }
        migrator.registerMigration("v7-sla-clocks") { db in
            // Clocks with their frozen terms; timers per escalation step and repetition, leased
            // when claimed, with a generation that a reassignment bumps.
            try db.execute(
                sql: """
                    CREATE TABLE slaClock (
                        incidentId TEXT PRIMARY KEY REFERENCES incident(id),
                        generation INTEGER NOT NULL,
                        vendor TEXT NOT NULL,
                        snapshot TEXT NOT NULL,
                        state TEXT NOT NULL,
                        acknowledgeDueAt INTEGER,
                        resolveDueAt INTEGER,
                        pausedBy TEXT,
                        replan INTEGER NOT NULL DEFAULT 0,
                        updatedAt INTEGER NOT NULL
                    );
                    CREATE INDEX slaClock_replan ON slaClock(replan) WHERE replan = 1;
                    CREATE INDEX slaClock_acknowledgeDue ON slaClock(acknowledgeDueAt) WHERE acknowledgeDueAt IS NOT NULL;
                    CREATE INDEX slaClock_resolveDue ON slaClock(resolveDueAt) WHERE resolveDueAt IS NOT NULL;
                    CREATE TABLE slaTimer_new (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        incidentId TEXT NOT NULL REFERENCES incident(id),
                        generation INTEGER NOT NULL DEFAULT 0,
                        kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'resolve')),
                        step INTEGER NOT NULL DEFAULT -1,
                        occurrence INTEGER NOT NULL DEFAULT 0,
                        dueAt INTEGER NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'stopped', 'fired', 'stale')),
                        leaseOwner TEXT,
                        leaseUntil INTEGER,
                        firedAt INTEGER,
                        late INTEGER NOT NULL DEFAULT 0,
                        label TEXT,
                        UNIQUE (incidentId, generation, kind, step, occurrence)
                    );
                    INSERT INTO slaTimer_new (id, incidentId, kind, dueAt, status)
                        SELECT id, incidentId, kind, dueAt, status FROM slaTimer;
                    DROP TABLE slaTimer;
                    ALTER TABLE slaTimer_new RENAME TO slaTimer;
                    CREATE INDEX slaTimer_due ON slaTimer(status, dueAt);
                    CREATE INDEX slaTimer_incident ON slaTimer(incidentId, generation);
                    """
            )
        }
        migrator.registerMigration("v8-lifecycle") { db in
            // The lifecycle phase, vendors' callbacks (idempotent by event id), ended SLA turns for
            // reports, and the vendor's own ticket reference learnt at dispatch.
            try db.execute(
                sql: """
                    ALTER TABLE incident ADD COLUMN phase TEXT;
                    ALTER TABLE incident ADD COLUMN pausedFrom TEXT;
                    ALTER TABLE incident ADD COLUMN reopenCount INTEGER NOT NULL DEFAULT 0;
                    UPDATE incident SET phase = CASE status WHEN 'open' THEN 'new' ELSE status END;
                    ALTER TABLE slaClock ADD COLUMN startedAt INTEGER;
                    UPDATE slaClock SET startedAt = updatedAt;
                    CREATE INDEX slaClock_started ON slaClock(startedAt);
                    CREATE TABLE slaClockHistory (
                        incidentId TEXT NOT NULL REFERENCES incident(id),
                        generation INTEGER NOT NULL,
                        vendor TEXT NOT NULL,
                        snapshot TEXT NOT NULL,
                        state TEXT NOT NULL,
                        startedAt INTEGER NOT NULL,
                        endedAt INTEGER NOT NULL,
                        PRIMARY KEY (incidentId, generation)
                    );
                    CREATE INDEX slaClockHistory_started ON slaClockHistory(startedAt);
                    CREATE TABLE callbackEvent (
                        sender TEXT NOT NULL,
                        eventId TEXT NOT NULL,
                        incidentId TEXT NOT NULL REFERENCES incident(id),
                        action TEXT NOT NULL,
                        receivedAt INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        PRIMARY KEY (sender, eventId)
                    ) WITHOUT ROWID;
                    ALTER TABLE outboxMessage ADD COLUMN externalRef TEXT;
                    CREATE INDEX outbox_externalRef ON outboxMessage(vendor, externalRef) WHERE externalRef IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v9-incident-list") { db in
            // The incident listing (`GET /api/incidents`) pages newest first by (receivedAt, id).
            try db.execute(sql: "CREATE INDEX incident_received ON incident(receivedAt, id)")
        }
        migrator.registerMigration("v10-admin") { db in
            // Operators' vendor switches (shared by every process) and the audit trail of admin calls.
            try db.execute(
                sql: """
                    CREATE TABLE vendorSwitch (
                        vendor TEXT PRIMARY KEY,
                        disabledBecause TEXT,
                        actor TEXT NOT NULL,
                        changedAt INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE auditEvent (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX auditEvent_at ON auditEvent(at);
                    """)
        }
        migrator.registerMigration("v11-audit-chain") { db in
            // The audit trail becomes a hash chain (AuditChain): entries already written are sealed in
            // order, then the table refuses updates of sealed rows and every delete.
            try db.execute(sql: "ALTER TABLE auditEvent ADD COLUMN previousHash TEXT; ALTER TABLE auditEvent ADD COLUMN hash TEXT")
            try SQLiteStore.sealUnchainedAudit(db)
            try db.execute(
                sql: """
                    CREATE TRIGGER auditEvent_sealed BEFORE UPDATE ON auditEvent WHEN OLD.hash IS NOT NULL
                    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    CREATE TRIGGER auditEvent_kept BEFORE DELETE ON auditEvent
                    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    """)
        }
        // v12: what retention needs (SLA archive, purge markers, indexes); see migrateRetention.
        migrator.registerMigration("v12-retention", migrate: migrateRetention)
        // v13: outbox messages claimed in creation order per incident and endpoint.
        migrator.registerMigration("v13-outbox-order", migrate: migrateOutboxOrder)
        return migrator
    }
}
