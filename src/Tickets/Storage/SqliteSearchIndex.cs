using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// SQLite: FTS5 with the trigram tokenizer (case-insensitive substrings of three characters or more,
/// whatever the script), one document per ticket, kept by triggers in the transaction of every write
/// to a ticket's searchable columns or to its messages.
/// </summary>
/// <remarks>
/// <para>
/// Two indexes: <c>ticket_search</c> holds everything (subject, customer fields, every message),
/// <c>ticket_search_head</c> only the subject and customer fields, so "every term there" (rank 1) is a
/// lookup in a small index instead of a column filter that decodes every position of a common term.
/// Results come newest first from FTS5's own rowid order, read only as far as the limit needs.
/// </para>
/// <para>
/// A trigram index cannot match a term shorter than three characters (<c>彩铃</c>), and reading every
/// message for it takes seconds at a million messages. Every column is therefore indexed with two
/// spaces appended, so each character of the text begins a trigram, and a short term becomes the OR
/// of the trigrams in the index that begin with it (read from the index's vocabulary,
/// <c>fts5vocab</c>, which seeks a term range): a ticket has one of those exactly when its text
/// contains the term. The documents are rebuilt from the ticket and all its messages on each change,
/// which is cheap for the few messages a ticket has.
/// </para>
/// </remarks>
internal sealed class SqliteSearchIndex : SearchIndex
{
    public static readonly SqliteSearchIndex Instance = new();

    // Step 511's SQL: part of its checksum, never edited once released (a change is a new step).
    private const string Head = "coalesce(t.subject, '') || char(10) || coalesce(t.customer_name, '') || char(10) || coalesce(t.customer_email, '') || char(10) || coalesce(t.customer_phone, '') || '  '";
    private const string Body = "coalesce((SELECT group_concat(m.body_text, char(10)) FROM messages m WHERE m.ticket_id = t.id), '') || '  '";

    private static string Reindex(string ticketId) => $"""
            DELETE FROM ticket_search WHERE rowid = {ticketId};
            INSERT INTO ticket_search (rowid, head, body) SELECT t.id, {Head}, {Body} FROM tickets t WHERE t.id = {ticketId};
        """;

    private static string ReindexHead(string ticketId) => $"""
            DELETE FROM ticket_search_head WHERE rowid = {ticketId};
            INSERT INTO ticket_search_head (rowid, head) SELECT t.id, {Head} FROM tickets t WHERE t.id = {ticketId};
        """;

    internal static readonly string Schema = $"""
        -- One document per ticket: head = subject, customer name, email, phone; body = its messages.
        -- Contentless (the text stays in tickets and messages); contentless_delete lets a trigger
        -- replace a document without repeating its old text.
        CREATE VIRTUAL TABLE ticket_search USING fts5(head, body, content = '', contentless_delete = 1, tokenize = 'trigram');
        -- The subject and customer fields alone: tickets with every term there rank first.
        CREATE VIRTUAL TABLE ticket_search_head USING fts5(head, content = '', contentless_delete = 1, tokenize = 'trigram');
        -- The trigrams in the index: how terms shorter than three characters are found.
        CREATE VIRTUAL TABLE ticket_search_terms USING fts5vocab(ticket_search, 'row');

        CREATE TRIGGER ticket_search_ticket_insert AFTER INSERT ON tickets
        BEGIN
        {Reindex("new.id")}
        {ReindexHead("new.id")}
        END;
        CREATE TRIGGER ticket_search_ticket_update AFTER UPDATE OF subject, customer_name, customer_email, customer_phone ON tickets
        WHEN new.subject IS NOT old.subject OR new.customer_name IS NOT old.customer_name
            OR new.customer_email IS NOT old.customer_email OR new.customer_phone IS NOT old.customer_phone
        BEGIN
        {Reindex("new.id")}
        {ReindexHead("new.id")}
        END;
        CREATE TRIGGER ticket_search_ticket_delete AFTER DELETE ON tickets
        BEGIN
            DELETE FROM ticket_search WHERE rowid = old.id;
            DELETE FROM ticket_search_head WHERE rowid = old.id;
        END;
        CREATE TRIGGER ticket_search_message_insert AFTER INSERT ON messages
        BEGIN
        {Reindex("new.ticket_id")}
        END;
        -- A message moved to another ticket (a merge) or edited: both tickets' documents change.
        CREATE TRIGGER ticket_search_message_update AFTER UPDATE OF ticket_id, body_text ON messages
        WHEN new.ticket_id IS NOT old.ticket_id OR new.body_text IS NOT old.body_text
        BEGIN
        {Reindex("old.ticket_id")}
        {Reindex("new.ticket_id")}
        END;
        CREATE TRIGGER ticket_search_message_delete AFTER DELETE ON messages
        BEGIN
        {Reindex("old.ticket_id")}
        END;

        INSERT INTO ticket_search_head (rowid, head) SELECT t.id, {Head} FROM tickets t;
        INSERT INTO ticket_search (rowid, head, body) SELECT t.id, {Head}, {Body} FROM tickets t;
        """;

    // Step 631's SQL (same rule as step 511's). FTS5 writes its pending terms out as a new segment at
    // every SAVEPOINT and RELEASE, and the writer wraps each change of a batch in one: indexed by
    // triggers, every new ticket cost a segment per index and the merges behind them (a third of the
    // writer's time for a complaint). The triggers now only note the ticket; Flush indexes the noted
    // tickets once per batch, in its transaction, after the last savepoint.
    internal const string Deferred = """
        CREATE TABLE ticket_search_pending (ticket_id INTEGER PRIMARY KEY);
        DROP TRIGGER ticket_search_ticket_insert;
        DROP TRIGGER ticket_search_ticket_update;
        DROP TRIGGER ticket_search_ticket_delete;
        DROP TRIGGER ticket_search_message_insert;
        DROP TRIGGER ticket_search_message_update;
        DROP TRIGGER ticket_search_message_delete;
        CREATE TRIGGER ticket_search_ticket_insert AFTER INSERT ON tickets
        BEGIN
            INSERT OR IGNORE INTO ticket_search_pending (ticket_id) VALUES (new.id);
        END;
        CREATE TRIGGER ticket_search_ticket_update AFTER UPDATE OF subject, customer_name, customer_email, customer_phone ON tickets
        WHEN new.subject IS NOT old.subject OR new.customer_name IS NOT old.customer_name
            OR new.customer_email IS NOT old.customer_email OR new.customer_phone IS NOT old.customer_phone
        BEGIN
            INSERT OR IGNORE INTO ticket_search_pending (ticket_id) VALUES (new.id);
        END;
        CREATE TRIGGER ticket_search_ticket_delete AFTER DELETE ON tickets
        BEGIN
            INSERT OR IGNORE INTO ticket_search_pending (ticket_id) VALUES (old.id);
        END;
        CREATE TRIGGER ticket_search_message_insert AFTER INSERT ON messages
        BEGIN
            INSERT OR IGNORE INTO ticket_search_pending (ticket_id) VALUES (new.ticket_id);
        END;
        CREATE TRIGGER ticket_search_message_update AFTER UPDATE OF ticket_id, body_text ON messages
        WHEN new.ticket_id IS NOT old.ticket_id OR new.body_text IS NOT old.body_text
        BEGIN
            INSERT OR IGNORE INTO ticket_search_pending (ticket_id) VALUES (old.ticket_id), (new.ticket_id);
        END;
        CREATE TRIGGER ticket_search_message_delete AFTER DELETE ON messages
        BEGIN
            INSERT OR IGNORE INTO ticket_search_pending (ticket_id) VALUES (old.ticket_id);
        END;
        """;

    // Step 671's SQL (same rule as step 511's). FTS5 merges the segments of a level once four are there,
    // inside the write that made the fourth: a merge's work landed on whichever change came then (it set the
    // p99 of the operator's calls on a large store: BENCHMARKS.md). Off here; the writer
    // merges while it has nothing queued (MergeSteps), and FTS5's crisis merge (16 segments a level) still
    // bounds a level under writes that never pause.
    internal const string MergeBetweenBatches = """
        INSERT INTO ticket_search (ticket_search, rank) VALUES ('automerge', 0);
        INSERT INTO ticket_search_head (ticket_search_head, rank) VALUES ('automerge', 0);
        """;

    /// <summary>
    /// One bounded merge step of each index (at most 16 pages written), merging a level's segments once it
    /// holds four (FTS5's 'usermerge'), as automerge did inside the writes.
    /// </summary>
    internal static readonly string[] MergeSteps =
    [
        "INSERT INTO ticket_search (ticket_search, rank) VALUES ('merge', 16)",
        "INSERT INTO ticket_search_head (ticket_search_head, rank) VALUES ('merge', 16)",
    ];

    /// <summary>Indexes the tickets the batch's changes noted (a deleted ticket only leaves the index); run just before the commit.</summary>
    internal const string Flush = $"""
        DELETE FROM ticket_search WHERE rowid IN (SELECT ticket_id FROM ticket_search_pending);
        DELETE FROM ticket_search_head WHERE rowid IN (SELECT ticket_id FROM ticket_search_pending);
        INSERT INTO ticket_search (rowid, head, body)
            SELECT t.id, {Head}, {Body} FROM tickets t WHERE t.id IN (SELECT ticket_id FROM ticket_search_pending);
        INSERT INTO ticket_search_head (rowid, head)
            SELECT t.id, {Head} FROM tickets t WHERE t.id IN (SELECT ticket_id FROM ticket_search_pending);
        DELETE FROM ticket_search_pending;
        """;

    public override IReadOnlyList<(long Id, int Rank)> Top(DbConnection connection, IReadOnlyList<string> terms, int limit)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var parts = new List<string>(terms.Count);
        foreach (var term in terms)
        {
            if (term.Length >= 3)
            {
                parts.Add(Quote(term));
                continue;
            }

            var trigrams = Trigrams(connection, term);
            if (trigrams.Count == 0)
            {
                return [];
            }

            parts.Add("(" + string.Join(" OR ", trigrams.Select(Quote)) + ")");
        }

        var expression = string.Join(" AND ", parts);
        var inHead = Rowids(connection, "SELECT rowid FROM ticket_search_head WHERE ticket_search_head MATCH @e", expression).ToList();
        return Merge(inHead, Rowids(connection, "SELECT rowid FROM ticket_search WHERE ticket_search MATCH @e ORDER BY rowid DESC", expression), limit);
    }

    // A quoted FTS5 string is the text itself (a double quote doubled); the trigram tokenizer turns
    // it into the phrase of its trigrams, i.e. a substring match.
    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // The trigrams are folded to lower case (case_sensitive 0); U+10FFFF twice is above any two
    // characters that may follow the term in a trigram.
    private static List<string> Trigrams(DbConnection connection, string term)
    {
        var prefix = term.ToLowerInvariant();
        using var command = connection.Command(
            "SELECT term FROM ticket_search_terms WHERE term >= @from AND term <= @to",
            null,
            ("@from", prefix),
            ("@to", prefix + "\U0010FFFF\U0010FFFF"));
        using var reader = command.ExecuteReader();
        var trigrams = new List<string>();
        while (reader.Read())
        {
            trigrams.Add(reader.GetString(0));
        }

        return trigrams;
    }

    // Read lazily: the caller stops after the rows it needs, and SQLite stops with it.
    private static IEnumerable<long> Rowids(DbConnection connection, string sql, string expression)
    {
        using var command = connection.Command(sql, null, ("@e", expression));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader.GetInt64(0);
        }
    }
}
