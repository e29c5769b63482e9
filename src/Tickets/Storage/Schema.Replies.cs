namespace TicketGateway.Tickets.Storage;

internal static partial class Schema
{
    // Steps 200-299: replies, templates and the outbox.
    private static readonly SchemaStep[] Replies =
    [
        new(200, "outbox and duty alerts", """
            -- One row per outgoing mail, written in the transaction of the change that causes it.
            -- The whole message (headers with its Message-ID, body) is fixed at that moment, so a
            -- retry after a crash or an ambiguous SMTP failure sends exactly the same bytes.
            CREATE TABLE outbox (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id       INTEGER NULL REFERENCES tickets (id),
                purpose         TEXT    NOT NULL,
                status          TEXT    NOT NULL,
                message_id      TEXT    NOT NULL,
                sender          TEXT    NOT NULL,
                recipients      TEXT    NOT NULL,
                subject         TEXT    NOT NULL,
                mime            BLOB    NOT NULL,
                counts_as_reply INTEGER NOT NULL DEFAULT 0,
                created_at      INTEGER NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_attempt_at INTEGER NULL,
                sent_at         INTEGER NULL,
                last_error      TEXT    NULL
            );
            CREATE UNIQUE INDEX ux_outbox_message_id ON outbox (message_id);
            CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);
            CREATE INDEX ix_outbox_ticket ON outbox (ticket_id);

            -- What the person on duty must look at (a mail the SMTP server refused for good, ...).
            CREATE TABLE duty_alerts (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                at        INTEGER NOT NULL,
                kind      TEXT    NOT NULL,
                ticket_id INTEGER NULL REFERENCES tickets (id),
                outbox_id INTEGER NULL REFERENCES outbox (id),
                detail    TEXT    NOT NULL
            );
            CREATE INDEX ix_duty_alerts_at ON duty_alerts (at);
            """),
    ];
}
