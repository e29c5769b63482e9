namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The schema steps of Tickets' own tables. Keep the SQL portable (PostgreSQL follows):
/// INTEGER/BIGINT keys, TEXT, times as Unix milliseconds, no SQLite-only functions in application queries.
/// </summary>
/// <remarks>
/// Each feature of Tickets keeps its steps in its own part of this class (Schema.Replies.cs, ...).
/// MailIntake and the operator gateway own their tables' steps (IntakeSchema, ExchangeSchema) and
/// register them with <see cref="SchemaServiceCollectionExtensions.AddSchema"/>. All steps share one
/// number sequence: a new step, whatever module it belongs to, takes the next number above every
/// existing one (the ranges 1-99 core, 100-199 mail, 200-299 replies, 300-399 operator, 400-499
/// quality of steps 1 to 402 are history, kept for the stores that recorded them); see
/// <see cref="Migrations"/> for the order and the rules that make it hold.
/// </remarks>
internal static partial class Schema
{
    // A property, not a field: the step arrays live in other parts of this class, whose static
    // initialisers C# does not order relative to this file's.

    /// <summary>Tickets' steps; every store applies them, whatever else the process registers.</summary>
    public static SchemaModule Module => new("Tickets", [.. Core, .. Replies, .. Quality]);

    private static readonly SchemaStep[] Core =
    [
        new(1, "tickets, messages, history", """
            CREATE TABLE tickets (
                id                INTEGER PRIMARY KEY AUTOINCREMENT,
                channel           TEXT    NOT NULL,
                kind              TEXT    NOT NULL,
                level             INTEGER NULL,
                status            TEXT    NOT NULL,
                customer_name     TEXT    NULL,
                customer_email    TEXT    NULL,
                customer_phone    TEXT    NULL,
                subject           TEXT    NOT NULL,
                language          TEXT    NOT NULL,
                accepted_at       INTEGER NOT NULL,
                first_reply_at    INTEGER NULL,
                resolved_at       INTEGER NULL,
                reply_due_at      INTEGER NOT NULL,
                resolve_due_at    INTEGER NULL,
                satisfaction      TEXT    NOT NULL DEFAULT 'none',
                repeat_of         INTEGER NULL REFERENCES tickets (id),
                operator_id       TEXT    NULL,
                operator_order_id TEXT    NULL,
                resolution        TEXT    NULL,
                updated_at        INTEGER NOT NULL
            );
            CREATE INDEX ix_tickets_accepted_at ON tickets (accepted_at);
            CREATE INDEX ix_tickets_status ON tickets (status);
            CREATE INDEX ix_tickets_customer_email ON tickets (customer_email);
            CREATE INDEX ix_tickets_customer_phone ON tickets (customer_phone);
            CREATE UNIQUE INDEX ux_tickets_operator_order ON tickets (operator_id, operator_order_id);

            CREATE TABLE messages (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
                direction   TEXT    NOT NULL,
                at          INTEGER NOT NULL,
                from_addr   TEXT    NULL,
                to_addr     TEXT    NULL,
                subject     TEXT    NULL,
                body_text   TEXT    NOT NULL,
                message_id  TEXT    NULL,
                automatic   INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX ix_messages_ticket ON messages (ticket_id);
            CREATE INDEX ix_messages_message_id ON messages (message_id);

            CREATE TABLE history (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id INTEGER NOT NULL REFERENCES tickets (id),
                at        INTEGER NOT NULL,
                actor     TEXT    NOT NULL,
                action    TEXT    NOT NULL,
                detail    TEXT    NOT NULL
            );
            CREATE INDEX ix_history_ticket ON history (ticket_id);

            -- The history is append-only: the database itself refuses edits and deletions.
            CREATE TRIGGER history_no_update BEFORE UPDATE ON history
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
            CREATE TRIGGER history_no_delete BEFORE DELETE ON history
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
            """),
    ];
}
