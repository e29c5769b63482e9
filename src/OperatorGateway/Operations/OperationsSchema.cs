using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>The tables of operations: kept inspections, notices to the person on duty that are about no ticket, and faults.</summary>
internal static class OperationsSchema
{
    public static SchemaModule Module { get; } = new("Operations",
    [
        new(611, "kept inspections", """
            -- Every inspection, daily or run by hand. A daily one carries its local date in `day`, unique,
            -- so it runs (and reports) once per day however many nodes serve and however often they restart.
            CREATE TABLE inspections (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at INTEGER NOT NULL,
                node       TEXT    NOT NULL,
                trigger    TEXT    NOT NULL,
                day        TEXT    NULL,
                result     TEXT    NOT NULL,
                summary    TEXT    NOT NULL,
                report     TEXT    NOT NULL
            );
            CREATE UNIQUE INDEX ux_inspections_day ON inspections (day);
            CREATE INDEX ix_inspections_started ON inspections (started_at);
            """),
        new(612, "duty notices and faults", """
            -- What the person on duty is told that concerns no ticket (the inspection report, a fault and
            -- its recovery): its mail goes into the outbox with it; its chat post is a delivery queue of
            -- the same shape as the alerts' (attempts count failures, given up after RetryMaxAttempts).
            CREATE TABLE duty_notices (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                kind             TEXT    NOT NULL,
                raised_at        INTEGER NOT NULL,
                subject          TEXT    NOT NULL,
                text             TEXT    NOT NULL,
                duty_name        TEXT    NULL,
                duty_mobile      TEXT    NULL,
                email_state      TEXT    NOT NULL,
                email_to         TEXT    NULL,
                webhook_state    TEXT    NOT NULL,
                webhook_attempts INTEGER NOT NULL DEFAULT 0,
                webhook_next_at  INTEGER NULL,
                webhook_sent_at  INTEGER NULL,
                webhook_error    TEXT    NULL,
                claimed_by       TEXT    NULL,
                claimed_until    INTEGER NULL
            );
            CREATE INDEX ix_duty_notices_webhook ON duty_notices (webhook_state, webhook_next_at);

            -- A check failing between inspections: open while cleared_at is NULL (one open fault per
            -- check), alerted once (alerted_at), and a recovery notice when it clears after an alert.
            CREATE TABLE faults (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                check_name TEXT    NOT NULL,
                since      INTEGER NOT NULL,
                detail     TEXT    NOT NULL,
                alerted_at INTEGER NULL,
                cleared_at INTEGER NULL
            );
            CREATE UNIQUE INDEX ux_faults_open ON faults (check_name) WHERE cleared_at IS NULL;
            """),
    ]);
}
