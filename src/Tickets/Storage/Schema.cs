namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The schema steps of Tickets' own tables. Keep the SQL portable (PostgreSQL follows):
/// INTEGER/BIGINT keys, TEXT, times as Unix milliseconds, no SQLite-only functions in application queries.
/// </summary>
/// <remarks>
/// MailIntake and the operator gateway own their tables' steps (IntakeSchema, ExchangeSchema) and
/// register them with <see cref="SchemaServiceCollectionExtensions.AddSchema"/>. All steps share one
/// number sequence: a new step, whatever module it belongs to, takes the next number above every
/// existing one (the ranges 1-99 core, 100-199 mail, 200-299 replies, 300-399 operator, 400-499
/// quality of steps 1 to 402 are history, kept for the stores that recorded them); see
/// <see cref="Migrations"/> for the order and the rules that make it hold.
/// </remarks>
internal static class Schema
{
    /// <summary>Tickets' steps; every store applies them, whatever else the process registers.</summary>
    public static SchemaModule Module { get; } = new("Tickets", [.. Steps, SearchIndex.Step, PostgresSearchIndex.ShortTermsStep, SearchIndex.DeferredStep, PostgresSearchIndex.WordGramsStep, SearchIndex.MergeStep]);

    private static SchemaStep[] Steps =>
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
        new(404, "several nodes: leader leases, delivery claims", """
            -- A lease names the one node that does a job the whole desk does once (polling the
            -- mailbox): the holder renews it before expires_at (Unix ms, the database's clock); the
            -- token grows with every new holder, and a holder's commits check it (fencing), so a node
            -- that lost its lease while paused commits nothing.
            CREATE TABLE leases (
                name       TEXT    PRIMARY KEY,
                holder     TEXT    NOT NULL,
                token      INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            -- The node attempting a mail or an alert's webhook, and until when: another node takes the
            -- row over only after claimed_until, so each is attempted by one node at a time.
            ALTER TABLE outbox ADD COLUMN claimed_by TEXT NULL;
            ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NULL;
            ALTER TABLE alerts ADD COLUMN claimed_by TEXT NULL;
            ALTER TABLE alerts ADD COLUMN claimed_until INTEGER NULL;
            """),
        new(501, "agent accounts, ticket owners, round-robin assignment", """
            -- Agents are people with accounts: login (stored lower-case, so unique whatever the case),
            -- a password hash (ASP.NET Core Identity's format, never the password), a role.
            -- email_key is the address lower-cased: mail from it acts as the agent, so one account per address.
            CREATE TABLE agents (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                login         TEXT    NOT NULL,
                name          TEXT    NOT NULL,
                email         TEXT    NOT NULL,
                email_key     TEXT    NOT NULL,
                mobile        TEXT    NULL,
                role          TEXT    NOT NULL,
                active        INTEGER NOT NULL DEFAULT 1,
                password_hash TEXT    NULL,
                source        TEXT    NOT NULL,
                created_at    INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_agents_login ON agents (login);
            CREATE UNIQUE INDEX ux_agents_email ON agents (email_key);

            -- The agent (login) who owns a ticket; NULL for nobody.
            ALTER TABLE tickets ADD COLUMN owner TEXT NULL;
            CREATE INDEX ix_tickets_owner ON tickets (owner, status);

            -- Counters several nodes share: the round robin of automatic assignment takes its turn with
            -- one upsert ... RETURNING, which the row lock serialises across nodes. No row is seeded, so
            -- `storage copy` into a new store finds the table empty.
            CREATE TABLE desk_counters (
                name  TEXT    PRIMARY KEY,
                value INTEGER NOT NULL
            );
            """),
        new(531, "phone contacts: calls linked to tickets, requested deadlines, first-reply alerts", """
            -- The hotline call a phone ticket was created for (tickets create --call, or matched by the
            -- caller's number when the call-detail records are imported later). A ticket comes from one
            -- call; the call key is the calls table's (uid:..., sha:...), and may name a call not imported yet.
            CREATE TABLE call_tickets (
                ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
                call_key  TEXT    NOT NULL,
                linked_by TEXT    NOT NULL,
                linked_at INTEGER NOT NULL
            );
            CREATE INDEX ix_call_tickets_call ON call_tickets (call_key);

            -- A resolution deadline the requester asked for (the operator's reply_by): when earlier than
            -- the level's deadline it is the one the alerts watch. The ticket keeps its level deadline.
            CREATE TABLE requested_deadlines (
                ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
                due_at    INTEGER NOT NULL,
                source    TEXT    NOT NULL
            );

            -- The first-reply alert scan looks at running tickets not answered yet, by reply deadline.
            CREATE INDEX ix_tickets_awaiting_reply ON tickets (status, reply_due_at) WHERE first_reply_at IS NULL;

            -- Reply deadlines that passed before first replies were alerted (phone tickets could not even
            -- record one) are history, not news: recorded as migrated, so the upgrade raises no flood of
            -- breaches. "Passed" is as of the store's last change, the one portable clock a step has.
            INSERT INTO alerts (ticket_id, kind, deadline_at, raised_at, text, webhook_state, email_state, cause)
                SELECT id, 'reply-breach', reply_due_at, reply_due_at, 'first-reply deadline passed before first-reply alerts existed', 'migrated', 'migrated', ''
                FROM tickets
                WHERE first_reply_at IS NULL AND status IN ('new', 'open', 'pending')
                  AND (resolve_due_at IS NULL OR reply_due_at < resolve_due_at)
                  AND reply_due_at <= (SELECT MAX(updated_at) FROM tickets);
            """),
        new(521, "message attachments of every channel, merged tickets", """
            -- The files of a ticket's messages, whatever the channel: a customer's mail (parts over a
            -- size limit keep a row with content NULL and dropped_reason saying which), an operator
            -- complaint, an agent's reply. message_id is NULL only for a file that belongs to the
            -- ticket but to none of its messages (kept from an agent's mail, never sent).
            CREATE TABLE attachments (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id      INTEGER NOT NULL REFERENCES tickets (id),
                message_id     INTEGER NULL REFERENCES messages (id),
                name           TEXT    NULL,
                content_type   TEXT    NOT NULL,
                content_id     TEXT    NULL,
                inline         INTEGER NOT NULL,
                size           BIGINT  NOT NULL,
                content        BLOB    NULL,
                dropped_reason TEXT    NULL
            );
            CREATE INDEX ix_attachments_ticket ON attachments (ticket_id);

            -- A ticket merged into another: closed, its messages and files moved to into_id. A row per
            -- merged ticket; into_id is never itself merged (a later merge of it rewrites the rows).
            CREATE TABLE ticket_merges (
                ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
                into_id   INTEGER NOT NULL REFERENCES tickets (id),
                at        INTEGER NOT NULL,
                actor     TEXT    NOT NULL
            );
            CREATE INDEX ix_ticket_merges_into ON ticket_merges (into_id);
            """),
        new(541, "who wrote each message, for the figures per agent", """
            -- The actor who recorded a message (the agent who wrote a reply, queued a resolution mail or
            -- gave an answer on the phone; 'mail' for mail taken in). The figures per agent count
            -- replies by it, and attribute a mail first reply to the writer of the mail whose SMTP
            -- acceptance set it (the first-reply history line of a mail names smtp, not the writer).
            ALTER TABLE messages ADD COLUMN actor TEXT NULL;
            -- Messages stored before this step: the history line written with each one (same ticket,
            -- action 'message', at or just after the message's time) names who recorded it.
            UPDATE messages SET actor = (
                SELECT h.actor FROM history h
                WHERE h.ticket_id = messages.ticket_id AND h.action = 'message' AND h.at >= messages.at
                ORDER BY h.at, h.id LIMIT 1)
            WHERE direction = 'outbound';
            """),
        new(561, "agent sign-in lockout", """
            -- Wrong passwords in a row at the web console's sign-in, and until when the account is locked
            -- after too many: in the store, so the lock holds on every node and across restarts.
            ALTER TABLE agents ADD COLUMN failed_signins INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE agents ADD COLUMN locked_until INTEGER NULL;
            """),
        new(591, "the queue by nearest running deadline", """
            -- The console's queue and 'tickets list' read running tickets nearest deadline first (Ticket.NextDueAt,
            -- TicketSql's NextDue, which must stay this very expression for the indexes to be used): all of
            -- them, or one owner's, or nobody's. Without these a desk of 100,000 open tickets sorted them all
            -- for every page of 200.
            CREATE INDEX ix_tickets_next_due ON tickets ((CASE WHEN status IN ('resolved', 'closed') THEN NULL
                  WHEN first_reply_at IS NOT NULL THEN resolve_due_at
                  WHEN resolve_due_at IS NOT NULL AND resolve_due_at < reply_due_at THEN resolve_due_at
                  ELSE reply_due_at END), id);
            CREATE INDEX ix_tickets_owner_next_due ON tickets (owner, (CASE WHEN status IN ('resolved', 'closed') THEN NULL
                  WHEN first_reply_at IS NOT NULL THEN resolve_due_at
                  WHEN resolve_due_at IS NOT NULL AND resolve_due_at < reply_due_at THEN resolve_due_at
                  ELSE reply_due_at END), id);
            """),
        new(641, "sign-in lockout of logins without an account", """
            -- Wrong passwords given for a login that has no account, counted and locked like an account's
            -- (agents.failed_signins, agents.locked_until), so the sign-in's answers do not tell which logins
            -- exist. last_at (Unix ms): rows not tried for a day are deleted.
            CREATE TABLE signin_failures (
                login        TEXT    PRIMARY KEY,
                failures     INTEGER NOT NULL,
                locked_until INTEGER NULL,
                last_at      INTEGER NOT NULL
            );
            """),
    ];
}
