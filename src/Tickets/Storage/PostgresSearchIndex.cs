using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// PostgreSQL: <c>pg_trgm</c> GIN indexes on the message text and on the ticket's subject and customer
/// fields taken together, which <c>ILIKE '%term%'</c> uses for terms of three characters or more.
/// PostgreSQL maintains them in the transaction of every write, so nothing else keeps them current.
/// </summary>
/// <remarks>
/// A term shorter than three characters gives <c>pg_trgm</c> no trigram to look up: the same query
/// then reads the tables (a sequential scan), correct but slower on a large store; see BENCHMARKS.md.
/// The database needs <c>pg_trgm</c> (in PostgreSQL's contrib, a trusted extension: the store's owner
/// may create it) and a UTF-8 encoding.
/// </remarks>
internal sealed class PostgresSearchIndex : SearchIndex
{
    public static readonly PostgresSearchIndex Instance = new();

    // Step 511's SQL: part of its checksum, never edited once released (a change is a new step).
    private const string Head = "(coalesce(subject, '') || ' ' || coalesce(customer_name, '') || ' ' || coalesce(customer_email, '') || ' ' || coalesce(customer_phone, ''))";

    internal const string Schema = $"""
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX ix_tickets_search ON tickets USING gin ({Head} gin_trgm_ops);
        CREATE INDEX ix_messages_search ON messages USING gin (body_text gin_trgm_ops);
        """;

    // Each term's tickets (a bitmap scan of each GIN index), intersected here; a ticket is rank 1
    // when every term was in its subject or customer fields.
    public override IReadOnlyList<(long Id, int Rank)> Top(DbConnection connection, IReadOnlyList<string> terms, int limit)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Dictionary<long, bool>? matches = null;
        foreach (var term in terms)
        {
            var found = Find(connection, term);
            matches = matches is null
                ? found
                : matches.Where(m => found.ContainsKey(m.Key)).ToDictionary(m => m.Key, m => m.Value && found[m.Key]);
            if (matches.Count == 0)
            {
                break;
            }
        }

        return Merge(matches!.Where(m => m.Value).Select(m => m.Key), matches!.Keys.OrderDescending(), limit);
    }

    private static Dictionary<long, bool> Find(DbConnection connection, string term)
    {
        var pattern = "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        using var command = connection.Command(
            $"""
            SELECT id, CAST(1 AS BIGINT) FROM tickets WHERE {Head} ILIKE @p
            UNION ALL
            SELECT DISTINCT ticket_id, CAST(0 AS BIGINT) FROM messages WHERE body_text ILIKE @p
            """,
            null,
            ("@p", pattern));
        var found = new Dictionary<long, bool>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            found[id] = found.GetValueOrDefault(id) || reader.GetInt64(1) != 0;
        }

        return found;
    }
}
