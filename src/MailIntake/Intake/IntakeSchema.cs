using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// The schema steps of the tables only the mail intake queries (mail_folders, mail_inbound,
/// mail_attachments, mail_quarantine). Numbers follow the one global sequence (see Tickets'
/// <c>Schema</c>): a new step takes the next number above every existing step of any module.
/// </summary>
internal static class IntakeSchema
{
    public static SchemaModule Module { get; } = new("MailIntake",
    [
        new(100, "mail intake: folders, inbound mail, attachments, quarantine, delivery", """
            -- One row per mailbox folder: the UIDVALIDITY its UIDs belong to and the highest UID done.
            CREATE TABLE mail_folders (
                folder       TEXT    PRIMARY KEY,
                uid_validity BIGINT  NOT NULL,
                last_uid     BIGINT  NOT NULL,
                updated_at   INTEGER NOT NULL
            );

            -- Every mail the intake has taken, whatever became of it: the raw bytes (inline, or a
            -- spool file for big mail), where it came from, and what it turned into.
            CREATE TABLE mail_inbound (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                folder          TEXT    NOT NULL,
                uid_validity    BIGINT  NOT NULL,
                uid             BIGINT  NOT NULL,
                message_id      TEXT    NULL,
                content_hash    TEXT    NOT NULL,
                from_addr       TEXT    NULL,
                subject         TEXT    NULL,
                received_at     INTEGER NOT NULL,
                size            BIGINT  NOT NULL,
                raw             BLOB    NULL,
                raw_path        TEXT    NULL,
                html            TEXT    NULL,
                outcome         TEXT    NOT NULL,
                rule            TEXT    NULL,
                ticket_id       INTEGER NULL REFERENCES tickets (id),
                message_row_id  INTEGER NULL REFERENCES messages (id),
                automated       INTEGER NOT NULL DEFAULT 0,
                bounce          INTEGER NOT NULL DEFAULT 0,
                own_loop        INTEGER NOT NULL DEFAULT 0,
                rate_limited    INTEGER NOT NULL DEFAULT 0
            );
            CREATE UNIQUE INDEX ux_mail_inbound_uid ON mail_inbound (folder, uid_validity, uid);
            CREATE INDEX ix_mail_inbound_message_id ON mail_inbound (message_id);
            CREATE INDEX ix_mail_inbound_sender ON mail_inbound (from_addr, received_at);
            CREATE INDEX ix_mail_inbound_ticket ON mail_inbound (ticket_id);

            -- Attachments and inline images; content is NULL when the part was over a size limit
            -- (dropped_reason says which), so a dropped part stays visible.
            CREATE TABLE mail_attachments (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                inbound_id     INTEGER NOT NULL REFERENCES mail_inbound (id),
                ticket_id      INTEGER NULL REFERENCES tickets (id),
                file_name      TEXT    NULL,
                content_type   TEXT    NOT NULL,
                content_id     TEXT    NULL,
                inline         INTEGER NOT NULL,
                size           BIGINT  NOT NULL,
                content        BLOB    NULL,
                dropped_reason TEXT    NULL
            );
            CREATE INDEX ix_mail_attachments_ticket ON mail_attachments (ticket_id);
            CREATE INDEX ix_mail_attachments_inbound ON mail_attachments (inbound_id);

            -- Mail that could not be processed: held until an operator retries or discards it.
            CREATE TABLE mail_quarantine (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                inbound_id  INTEGER NOT NULL REFERENCES mail_inbound (id),
                reason      TEXT    NOT NULL,
                at          INTEGER NOT NULL,
                status      TEXT    NOT NULL,
                ticket_id   INTEGER NULL REFERENCES tickets (id),
                resolved_at INTEGER NULL,
                resolved_by TEXT    NULL
            );
            CREATE INDEX ix_mail_quarantine_status ON mail_quarantine (status);

            -- Delivery state of our outbound messages as the mailbox reports it (bounces). The
            -- outbox reads it; a missing row means nothing came back.
            CREATE TABLE message_delivery (
                message_row_id INTEGER PRIMARY KEY REFERENCES messages (id),
                status         TEXT    NOT NULL,
                detail         TEXT    NOT NULL,
                at             INTEGER NOT NULL,
                inbound_id     INTEGER NULL REFERENCES mail_inbound (id)
            );
            """),
        new(101, "mail intake: when each mail reached the mailbox", """
            -- The mailbox's INTERNALDATE: a ticket is accepted when its mail arrived, or when the
            -- gateway first saw it (received_at) if that is earlier. NULL for mail taken before
            -- this step and where the server gave no date.
            ALTER TABLE mail_inbound ADD COLUMN arrived_at INTEGER NULL;
            """),
        // Moves bounces the intake recorded in message_delivery (step 100) into the outbox (Tickets' step
        // 200); a store where the intake joins late runs it on an empty message_delivery.
        new(201, "one record of undelivered mail: bounces move from message_delivery to the outbox", """
            -- The outbox row of a bounced mail is the one record that it was not delivered
            -- (status failed, last_error the report's detail); the intake's own table goes.
            UPDATE outbox
            SET status = 'failed',
                last_error = (SELECT d.detail FROM message_delivery d JOIN messages m ON m.id = d.message_row_id
                              WHERE m.message_id = outbox.message_id AND d.status = 'undelivered' LIMIT 1)
            WHERE message_id IN (SELECT m.message_id FROM message_delivery d JOIN messages m ON m.id = d.message_row_id
                                 WHERE d.status = 'undelivered' AND m.message_id IS NOT NULL);
            DROP TABLE message_delivery;
            """),
        // Reads Tickets' `attachments` (step 521), so it comes after it.
        new(522, "mail attachments move to the ticket's attachments", """
            -- The files of mail that became a ticket's message move to the one attachments table,
            -- on the message the mail became; parts of mail that became no ticket are not kept apart
            -- any more (the raw mail in mail_inbound still holds them).
            INSERT INTO attachments (ticket_id, message_id, name, content_type, content_id, inline, size, content, dropped_reason)
                SELECT a.ticket_id, i.message_row_id, a.file_name, a.content_type, a.content_id, a.inline, a.size, a.content, a.dropped_reason
                FROM mail_attachments a JOIN mail_inbound i ON i.id = a.inbound_id
                WHERE a.ticket_id IS NOT NULL
                ORDER BY a.id;
            DROP TABLE mail_attachments;
            """),
    ]);
}
