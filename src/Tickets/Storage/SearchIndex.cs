using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The engine's text index behind ticket search (<see cref="TicketSearch"/>): it answers, for one
/// search term, which tickets contain it as a substring (case-insensitive, no word splitting, so
/// Chinese needs no spaces) in the subject, the customer's name, email or phone, or any message, and
/// in which of those it is in the subject or customer fields. Each engine has its own, kept current
/// in the transaction of every write: SQLite an FTS5 trigram index maintained by triggers, PostgreSQL
/// <c>pg_trgm</c> GIN indexes on the columns themselves.
/// </summary>
internal abstract class SearchIndex
{
    /// <summary>Schema step 511: the index of each engine, and on SQLite the triggers and the indexing of existing tickets.</summary>
    public static SchemaStep Step { get; } = new(511, "search: trigram index of tickets and messages", SqliteSearchIndex.Schema)
    {
        PostgresSql = PostgresSearchIndex.Schema,
    };

    /// <summary>The index of the engine <paramref name="dialect"/> speaks.</summary>
    public static SearchIndex For(SqlDialect dialect) => dialect == SqlDialect.Postgres ? PostgresSearchIndex.Instance : SqliteSearchIndex.Instance;

    /// <summary>The tickets containing <paramref name="term"/> (no white space in it), with whether the subject or customer fields contain it.</summary>
    public abstract IReadOnlyDictionary<long, bool> Find(DbConnection connection, string term);

    /// <summary>Adds a row of (ticket id, found in the subject or customer fields) to the matches.</summary>
    protected static Dictionary<long, bool> Collect(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = new Dictionary<long, bool>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var inHead = reader.GetInt64(1) != 0;
            found[id] = (found.TryGetValue(id, out var seen) && seen) || inHead;
        }

        return found;
    }
}
