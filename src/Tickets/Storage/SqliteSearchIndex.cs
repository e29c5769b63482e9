using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// SQLite: one FTS5 document per ticket with the trigram tokenizer (case-insensitive substrings of
/// three characters or more, whatever the script), kept by triggers in the transaction of every write
/// to a ticket's searchable columns or its messages.
/// </summary>
/// <remarks>
/// A trigram index cannot match a term shorter than three characters (<c>彩铃</c>), and a scan of
/// every message for it would take seconds at a million messages. Every column is therefore indexed
/// with two spaces appended, so each character of the text begins a trigram, and a short term is
/// looked up as the prefix of trigrams in the index's own vocabulary (<c>fts5vocab</c>, which seeks
/// a term range): the tickets holding a trigram that starts with the term are exactly those whose
/// text contains it. The document is rebuilt from the ticket and all its messages on each change,
/// which is cheap for the few messages a ticket has.
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

    internal static readonly string Schema = $"""
        -- One document per ticket: head = subject, customer name, email, phone; body = its messages.
        -- Contentless (the text stays in tickets and messages); contentless_delete lets a trigger
        -- replace a document without repeating its old text.
        CREATE VIRTUAL TABLE ticket_search USING fts5(head, body, content = '', contentless_delete = 1, tokenize = 'trigram');
        -- The index's trigrams and where each occurs: how terms shorter than three characters are found.
        CREATE VIRTUAL TABLE ticket_search_instances USING fts5vocab(ticket_search, 'instance');

        CREATE TRIGGER ticket_search_ticket_insert AFTER INSERT ON tickets
        BEGIN
        {Reindex("new.id")}
        END;
        CREATE TRIGGER ticket_search_ticket_update AFTER UPDATE OF subject, customer_name, customer_email, customer_phone ON tickets
        WHEN new.subject IS NOT old.subject OR new.customer_name IS NOT old.customer_name
            OR new.customer_email IS NOT old.customer_email OR new.customer_phone IS NOT old.customer_phone
        BEGIN
        {Reindex("new.id")}
        END;
        CREATE TRIGGER ticket_search_ticket_delete AFTER DELETE ON tickets
        BEGIN
            DELETE FROM ticket_search WHERE rowid = old.id;
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

        INSERT INTO ticket_search (rowid, head, body) SELECT t.id, {Head}, {Body} FROM tickets t;
        """;

    public override IReadOnlyDictionary<long, bool> Find(DbConnection connection, string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (term.Length >= 3)
        {
            // A quoted FTS5 string is the term itself (a double quote doubled); the trigram tokenizer
            // turns it into the phrase of its trigrams, i.e. a substring match.
            var phrase = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            using var command = connection.Command(
                """
                SELECT rowid, 0 FROM ticket_search WHERE ticket_search MATCH @all
                UNION ALL
                SELECT rowid, 1 FROM ticket_search WHERE ticket_search MATCH @head
                """,
                null,
                ("@all", phrase),
                ("@head", "head : " + phrase));
            return Collect(command);
        }

        // The trigrams are folded to lower case (case_sensitive 0); U+10FFFF twice is above any
        // two characters that may follow the term in a trigram.
        var prefix = term.ToLowerInvariant();
        using var short_ = connection.Command(
            "SELECT DISTINCT doc, col = 'head' FROM ticket_search_instances WHERE term >= @from AND term <= @to",
            null,
            ("@from", prefix),
            ("@to", prefix + "\U0010FFFF\U0010FFFF"));
        return Collect(short_);
    }
}
