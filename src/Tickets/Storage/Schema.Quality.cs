namespace TicketGateway.Tickets.Storage;

internal static partial class Schema
{
    // Steps 400-499: service quality, calls, duty.
    private static readonly SchemaStep[] Quality =
    [
        new(400, "kpi index, hotline calls, duty alerts", """
            -- The monthly indicators read a month of tickets by accepted_at and aggregate every
            -- column below; with all of them in one index the query never touches the table rows.
            CREATE INDEX ix_tickets_kpi ON tickets (accepted_at, kind, channel, level, satisfaction,
                first_reply_at, reply_due_at, resolved_at, resolve_due_at, repeat_of);
            -- The alert scan looks at running tickets (three statuses) that have a resolution deadline.
            CREATE INDEX ix_tickets_running_due ON tickets (status, resolve_due_at);

            CREATE TABLE calls (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                call_key    TEXT    NOT NULL,
                started_at  INTEGER NOT NULL,
                answered_at INTEGER NULL,
                ended_at    INTEGER NULL,
                caller      TEXT    NULL,
                disposition TEXT    NOT NULL,
                answered    INTEGER NOT NULL,
                source      TEXT    NOT NULL,
                imported_at INTEGER NOT NULL
            );
            -- One row per call however often a file is imported: Asterisk's uniqueid, else a row hash.
            CREATE UNIQUE INDEX ux_calls_key ON calls (call_key);
            CREATE INDEX ix_calls_started ON calls (started_at, answered);

            CREATE TABLE alerts (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id        INTEGER NOT NULL REFERENCES tickets (id),
                kind             TEXT    NOT NULL,
                deadline_at      INTEGER NOT NULL,
                raised_at        INTEGER NOT NULL,
                duty_name        TEXT    NULL,
                duty_email       TEXT    NULL,
                duty_mobile      TEXT    NULL,
                text             TEXT    NOT NULL,
                webhook_state    TEXT    NOT NULL,
                webhook_attempts INTEGER NOT NULL DEFAULT 0,
                webhook_next_at  INTEGER NULL,
                webhook_sent_at  INTEGER NULL,
                webhook_error    TEXT    NULL,
                email_state      TEXT    NOT NULL,
                email_ref        TEXT    NULL
            );
            -- Once per ticket and threshold, across restarts: a reminder or breach alert is keyed by
            -- the deadline it is about, so a level change (new deadline) may alert again.
            CREATE UNIQUE INDEX ux_alerts_once ON alerts (ticket_id, kind, deadline_at);
            CREATE INDEX ix_alerts_webhook ON alerts (webhook_state, webhook_next_at);
            CREATE INDEX ix_alerts_email ON alerts (email_state);
            """),
        new(401, "one alert mechanism: urges, stuck operator updates and refused mail become alerts", """
            -- What caused an alert besides its kind and instant (the outbox row of a refused mail, the
            -- operator update that is stuck), so two causes at the same instant both alert, each once.
            ALTER TABLE alerts ADD COLUMN cause TEXT NOT NULL DEFAULT '';
            -- Where the alert's mail went: the people on duty, or Mail:DutyAddress when none has an address.
            ALTER TABLE alerts ADD COLUMN email_to TEXT NULL;
            DROP INDEX ux_alerts_once;
            CREATE UNIQUE INDEX ux_alerts_once_cause ON alerts (ticket_id, kind, deadline_at, cause);

            -- The alerts the outbox kept apart (duty_alerts, step 200) move here, then their table goes.
            -- This is a quality step, not a 2xx one, because the copy needs `alerts` (step 400).
            -- Their delivery happened (or not) by the old path: both channels say 'migrated'.
            -- Until each module owned its steps this step also moved the operator exchange's
            -- operator_alerts (step 300); that copy is the gateway's step 403 now, so a store opened
            -- by Tickets alone can take this step. Stores that took the whole step have no
            -- operator_alerts left, and 403 finds it empty.
            INSERT INTO alerts (ticket_id, kind, deadline_at, raised_at, text, webhook_state, email_state, cause)
                SELECT ticket_id, 'undelivered-mail', at, MIN(at), MIN(detail), 'migrated', 'migrated', 'outbox:' || CAST(MIN(outbox_id) AS TEXT)
                FROM duty_alerts WHERE ticket_id IS NOT NULL
                GROUP BY ticket_id, at;
            DROP TABLE duty_alerts;
            """),
        new(402, "repeat rule: customer lookups by time", """
            -- The repeat-complaint rule looks up a customer's recent complaints, newest first; with the
            -- time in the index the lookup stops after a few rows even for a customer with thousands.
            -- They also serve every plain lookup by customer, so the single-column indexes go.
            CREATE INDEX ix_tickets_phone_accepted ON tickets (customer_phone, accepted_at);
            CREATE INDEX ix_tickets_email_accepted ON tickets (customer_email, accepted_at);
            DROP INDEX IF EXISTS ix_tickets_customer_phone;
            DROP INDEX IF EXISTS ix_tickets_customer_email;
            """),
    ];
}
