using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The engine's text index behind ticket search (<see cref="TicketSearch"/>): which tickets contain
/// every term as a case-insensitive substring (no word splitting, so Chinese needs no spaces) in their
/// subject, customer name, email, phone or messages, best first. Each engine has its own, kept current
/// in the transaction of every write: SQLite FTS5 trigram indexes maintained by triggers, PostgreSQL
/// <c>pg_trgm</c> GIN indexes on the columns themselves.
/// </summary>
internal abstract class SearchIndex
{
    /// <summary>Schema step 511: the index of each engine, and on SQLite the triggers and the indexing of existing tickets.</summary>
    public static SchemaStep Step { get; } = new(511, "search: trigram index of tickets and messages", SqliteSearchIndex.Schema)
    {
        PostgresSql = PostgresSearchIndex.Schema,
    };

    /// <summary>Schema step 631: SQLite indexes the tickets a batch changed once, at its commit (<see cref="StoreEngine.BeforeCommit"/>).</summary>
    public static SchemaStep DeferredStep { get; } = new(631, "search: index the tickets of a write batch once, at its commit (SQLite)", SqliteSearchIndex.Deferred)
    {
        PostgresSql = "-- PostgreSQL indexes the columns themselves (step 511); there is nothing to defer.",
    };

    /// <summary>Schema step 671: SQLite merges the index's segments between write batches, not inside them.</summary>
    public static SchemaStep MergeStep { get; } = new(671, "search: merge the index between write batches (SQLite)", SqliteSearchIndex.MergeBetweenBatches)
    {
        PostgresSql = "-- PostgreSQL's GIN indexes have no segments to merge.",
    };

    /// <summary>The index of the engine <paramref name="dialect"/> speaks.</summary>
    public static SearchIndex For(SqlDialect dialect) => dialect == SqlDialect.Postgres ? PostgresSearchIndex.Instance : SqliteSearchIndex.Instance;

    /// <summary>
    /// The ids of at most <paramref name="limit"/> tickets containing every term (none holds white
    /// space), best first: rank 1 (every term in the subject or customer fields) before rank 0, then
    /// the newest (highest id) first.
    /// </summary>
    public abstract IReadOnlyList<(long Id, int Rank)> Top(DbConnection connection, IReadOnlyList<string> terms, int limit);

    /// <summary>Rank 1 first, then the rest of <paramref name="matches"/> (newest first), skipping what rank 1 already gave.</summary>
    protected static List<(long Id, int Rank)> Merge(IEnumerable<long> inHead, IEnumerable<long> newestFirst, int limit)
    {
        var top = new HashSet<long>(inHead);
        var hits = top.OrderDescending().Take(limit).Select(id => (id, 1)).ToList();
        foreach (var id in newestFirst)
        {
            if (hits.Count >= limit)
            {
                break;
            }

            if (!top.Contains(id))
            {
                hits.Add((id, 0));
            }
        }

        return hits;
    }
}
