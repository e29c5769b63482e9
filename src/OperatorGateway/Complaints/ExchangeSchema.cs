using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>
/// The schema steps of the tables only the operator complaint exchange queries
/// (operator_complaints, operator_attachments, operator_updates). Numbers follow the one global
/// sequence (see Tickets' <c>Schema</c>): a new step takes the next number above every existing step of any module.
/// </summary>
internal static class ExchangeSchema
{
    public static SchemaModule Module { get; } = new("OperatorGateway",
    [
        new(300, "operator complaints, attachments, update outbox, alerts", """
            -- One row per complaint the operator filed; the ticket holds the lifecycle, this row what
            -- the exchange needs: the idempotency hash, the first receipt, and the next update sequence.
            CREATE TABLE operator_complaints (
                ticket_id          INTEGER PRIMARY KEY REFERENCES tickets (id),
                operator_id        TEXT    NOT NULL,
                order_id           TEXT    NOT NULL,
                request_hash       TEXT    NOT NULL,
                category           TEXT    NOT NULL,
                service_code       TEXT    NOT NULL,
                msisdn             TEXT    NOT NULL,
                received_at        INTEGER NOT NULL,
                reply_by           INTEGER NULL,
                operator_repeat    INTEGER NOT NULL,
                receipt_level      INTEGER NOT NULL,
                receipt_due_at     INTEGER NOT NULL,
                last_sequence      INTEGER NOT NULL,
                refund_fen         INTEGER NULL,
                withdrawn_at       INTEGER NULL,
                created_at         INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_operator_complaints_order ON operator_complaints (operator_id, order_id);

            CREATE TABLE operator_attachments (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
                message_id   INTEGER NULL REFERENCES messages (id),
                name         TEXT    NOT NULL,
                content_type TEXT    NOT NULL,
                content      BLOB    NOT NULL,
                at           INTEGER NOT NULL
            );
            CREATE INDEX ix_operator_attachments_ticket ON operator_attachments (ticket_id);

            -- The durable outbox of updates to the operator: delivered in sequence order per complaint,
            -- at least once; a row is done when delivered_at is set.
            CREATE TABLE operator_updates (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id       INTEGER NOT NULL REFERENCES tickets (id),
                operator_id     TEXT    NOT NULL,
                order_id        TEXT    NOT NULL,
                sequence        INTEGER NOT NULL,
                kind            TEXT    NOT NULL,
                occurred_at     INTEGER NOT NULL,
                message         TEXT    NOT NULL,
                handler         TEXT    NOT NULL,
                refund_fen      INTEGER NULL,
                level           INTEGER NOT NULL,
                resolve_due_at  INTEGER NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error      TEXT    NULL,
                delivered_at    INTEGER NULL,
                alerted_at      INTEGER NULL
            );
            CREATE UNIQUE INDEX ux_operator_updates_sequence ON operator_updates (ticket_id, sequence);
            CREATE INDEX ix_operator_updates_pending ON operator_updates (delivered_at, operator_id, next_attempt_at);

            -- Things the person on duty must see at once (an operator urging, updates stuck); the duty
            -- roster reads and acknowledges these.
            CREATE TABLE operator_alerts (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                at              INTEGER NOT NULL,
                kind            TEXT    NOT NULL,
                operator_id     TEXT    NOT NULL,
                ticket_id       INTEGER NULL REFERENCES tickets (id),
                detail          TEXT    NOT NULL,
                acknowledged_at INTEGER NULL
            );
            CREATE INDEX ix_operator_alerts_open ON operator_alerts (acknowledged_at, at);
            """),
        new(403, "operator alerts move into alerts", """
            -- Once part of Tickets' step 401: the alerts the exchange kept apart (operator_alerts, step
            -- 300) move into Tickets' alerts (step 401 gave it the cause column), then their table goes.
            -- A store that took the whole of 401 has no operator_alerts any more: the CREATE gives the
            -- copy an empty table to read. Their delivery happened (or not) by the old path: 'migrated'.
            CREATE TABLE IF NOT EXISTS operator_alerts (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                at              INTEGER NOT NULL,
                kind            TEXT    NOT NULL,
                operator_id     TEXT    NOT NULL,
                ticket_id       INTEGER NULL REFERENCES tickets (id),
                detail          TEXT    NOT NULL,
                acknowledged_at INTEGER NULL
            );
            INSERT INTO alerts (ticket_id, kind, deadline_at, raised_at, text, webhook_state, email_state, cause)
                SELECT ticket_id, CASE WHEN kind = 'urge' THEN 'urge' ELSE 'undelivered-update' END, at, MIN(at), MIN(detail), 'migrated', 'migrated', 'operator_alerts'
                FROM operator_alerts WHERE ticket_id IS NOT NULL
                GROUP BY ticket_id, kind, at;
            DROP TABLE operator_alerts;
            """),
        new(405, "several nodes: update delivery claims", """
            -- The node delivering an update, and until when (Tickets' step 404 has the same for mail):
            -- another node takes the row over only after claimed_until.
            ALTER TABLE operator_updates ADD COLUMN claimed_by TEXT NULL;
            ALTER TABLE operator_updates ADD COLUMN claimed_until INTEGER NULL;
            """),
        new(532, "operator reply_by drives the alerts", """
            -- Tickets' step 531 keeps requested deadlines beside the level's (requested_deadlines); the
            -- complaints filed before it get theirs from the operator's reply_by.
            INSERT INTO requested_deadlines (ticket_id, due_at, source)
                SELECT ticket_id, reply_by, 'operator reply_by' FROM operator_complaints WHERE reply_by IS NOT NULL;
            """),
        // Reads Tickets' `attachments` (step 521), so it comes after it.
        new(523, "operator attachments move to the ticket's attachments", """
            -- A complaint's own files (message_id NULL here) belong to its first message, the complaint text.
            INSERT INTO attachments (ticket_id, message_id, name, content_type, content_id, inline, size, content, dropped_reason)
                SELECT o.ticket_id, COALESCE(o.message_id, (SELECT MIN(m.id) FROM messages m WHERE m.ticket_id = o.ticket_id)),
                    o.name, o.content_type, NULL, 0, LENGTH(o.content), o.content, NULL
                FROM operator_attachments o
                ORDER BY o.id;
            DROP TABLE operator_attachments;
            """),
        new(661, "operator updates: the waiting ones indexed apart", """
            -- The delivery pass reads, several times a second, one operator's due updates oldest first,
            -- and the alert scan the waiting ones queued before a cutoff. The table keeps every update ever
            -- delivered; an index over all of them held the delivered ones too (and on PostgreSQL every
            -- version a delivery left behind), so a backlog made each pass read thousands of entries, and
            -- the alert scan walked the whole table by id. These index only what still waits.
            DROP INDEX ix_operator_updates_pending;
            CREATE INDEX ix_operator_updates_due ON operator_updates (operator_id, next_attempt_at, id) WHERE delivered_at IS NULL;
            CREATE INDEX ix_operator_updates_unalerted ON operator_updates (occurred_at, id) WHERE delivered_at IS NULL AND alerted_at IS NULL;
            """),
    ]);
}
