using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// PostgreSQL: <c>pg_trgm</c> GIN indexes on the message text and on the ticket's subject and customer
/// fields taken together, which <c>ILIKE '%term%'</c> uses for terms of three characters or more, and
/// (step 551) GIN indexes of the one- and two-character pieces of the same text for shorter terms.
/// PostgreSQL maintains them in the transaction of every write, so nothing else keeps them current.
/// </summary>
/// <remarks>
/// <para>
/// A term shorter than three characters (<c>彩铃</c>) gives <c>pg_trgm</c> no trigram to look up, and
/// the same <c>ILIKE</c> alone reads every message (a sequential scan, seconds at a million messages).
/// <c>ticket_search_grams(text)</c> is the set of every character and every two adjacent characters
/// of the lower-cased text: a text contains a term of one or two characters exactly when that set
/// holds the lower-cased term, which the GIN index answers. The <c>ILIKE</c> stays beside it, so both
/// paths mean the same thing.
/// </para>
/// <para>
/// Ranking is done in the queries, newest first, so a term found in most tickets stops after the
/// newest few instead of fetching all of its matches: rank 1 (every term in the subject or customer
/// fields) from the tickets alone, then the tickets with every term anywhere, first among the newest
/// 4,096 tickets (bounded work, where a common term's answer is), then among the rest
/// (from the indexes: only a term rare among the newest tickets gets there). See BENCHMARKS.md. The
/// database needs <c>pg_trgm</c> (in PostgreSQL's contrib, a trusted extension: the store's owner may
/// create it) and a UTF-8 encoding.
/// </para>
/// </remarks>
internal sealed class PostgresSearchIndex : SearchIndex
{
    public static readonly PostgresSearchIndex Instance = new(4096);

    // How many of the newest tickets the first pass reads (about four messages each).
    private readonly long _window;

    /// <summary>An index whose first pass reads the newest <paramref name="window"/> tickets (tests use a small one).</summary>
    internal PostgresSearchIndex(long window) => _window = window;

    // Step 511's and 551's SQL: part of their checksums, never edited once released (a change is a new step).
    private const string Head = "(coalesce(subject, '') || ' ' || coalesce(customer_name, '') || ' ' || coalesce(customer_email, '') || ' ' || coalesce(customer_phone, ''))";

    internal const string Schema = $"""
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX ix_tickets_search ON tickets USING gin ({Head} gin_trgm_ops);
        CREATE INDEX ix_messages_search ON messages USING gin (body_text gin_trgm_ops);
        """;

    internal const string ShortTermsSchema = $"""
        CREATE FUNCTION ticket_search_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
            SELECT coalesce(array_agg(DISTINCT g), '{"{}"}')
            FROM (SELECT lower(t) AS l) s, generate_series(1, char_length(s.l)) i,
                unnest(ARRAY[substr(s.l, i, 1), substr(s.l, i, 2)]) g
            WHERE g !~ '\s'
        $fn$;
        CREATE INDEX ix_tickets_search_short ON tickets USING gin (ticket_search_grams({Head}));
        CREATE INDEX ix_messages_search_short ON messages USING gin (ticket_search_grams(body_text));
        -- The planner's statistics of the new expressions: how common each piece is decides how a query reads.
        ANALYZE tickets;
        ANALYZE messages;
        """;

    /// <summary>Step 551: the index of short terms (PostgreSQL only: SQLite reads its trigram vocabulary, step 511).</summary>
    public static SchemaStep ShortTermsStep { get; } = new(551, "search: index of one- and two-character terms (PostgreSQL)", "-- SQLite finds short terms in its trigram index's vocabulary (step 511).")
    {
        PostgresSql = ShortTermsSchema,
    };

    // The same pieces as step 551's function, equal arrays for every text (so the indexes built with it stay
    // valid and need no rebuild): the text is split at white space once, and each word gives its characters
    // (string_to_array, in C) and its character pairs; step 551's form tested a regular expression on every
    // piece. And in PL/pgSQL, whose statement is planned once per connection: a SQL function in an index
    // expression is planned again by every INSERT or UPDATE that computes it. A ticket insert on a store of
    // 10,000 tickets: 168 us with step 551's function, 140 us with this query as a SQL function, 71-80 us
    // as here (31 us without the index); 185-character messages: 0.84 ms a call before, 0.15 ms now.
    internal const string WordGramsSchema = """
        CREATE OR REPLACE FUNCTION ticket_search_grams(t text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
        BEGIN
            RETURN (SELECT coalesce(array_agg(DISTINCT g), '{}')
                    FROM regexp_split_to_table(lower(t), '\s+') w,
                        LATERAL (SELECT unnest(string_to_array(w, NULL))
                                 UNION ALL
                                 SELECT substr(w, i, 2) FROM generate_series(1, char_length(w) - 1) i) x(g));
        END
        $fn$;
        """;

    /// <summary>Step 651: the pieces of step 551 computed word by word, the same arrays at a quarter of the cost (PostgreSQL only).</summary>
    public static SchemaStep WordGramsStep { get; } = new(651, "search: short-term pieces computed word by word (PostgreSQL)", "-- SQLite finds short terms in its trigram index's vocabulary (step 511).")
    {
        PostgresSql = WordGramsSchema,
    };

    public override IReadOnlyList<(long Id, int Rank)> Top(DbConnection connection, IReadOnlyList<string> terms, int limit)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var parameters = new List<(string Name, object? Value)> { ("@limit", (long)limit) };
        var inHead = new List<string>(terms.Count);
        var newestSets = new List<string>(terms.Count);
        var olderSets = new List<string>(terms.Count);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            parameters.Add(($"@p{i}", "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"));
            var head = $"{Head} ILIKE @p{i}";
            var body = $"body_text ILIKE @p{i}";
            var (headIndexed, bodyIndexed) = (head, body);
            if (term.Length < 3)
            {
                // The pieces' index for a short term; computing the pieces of a row is dear, so only where an
                // index reads them (the ILIKE alone is exact, and enough where the newest tickets are walked).
                parameters.Add(($"@g{i}", new[] { term.ToLowerInvariant() }));
                headIndexed += $" AND ticket_search_grams({Head}) @> @g{i}";
                bodyIndexed += $" AND ticket_search_grams(body_text) @> @g{i}";
            }

            inHead.Add($"({headIndexed})");
            newestSets.Add(Matches(head, body));
            olderSets.Add(Matches(headIndexed, bodyIndexed));
        }

        // Npgsql prepares a statement run twice, and PostgreSQL then plans it once for any values (a
        // generic plan): for ILIKE '%term%' that plan cannot know whether the term is common or rare, which
        // decides between walking the tickets and reading the index. Each search is planned for its terms.
        using var transaction = connection.BeginTransaction();
        connection.Execute("SET LOCAL plan_cache_mode = force_custom_plan", transaction);

        // Rank 1 from the tickets alone: the planner walks them newest first for a common term and
        // reads the index for a rare one (its statistics of the indexed expressions tell which).
        var first = Ids(connection, transaction, $"SELECT id FROM tickets WHERE {string.Join(" AND ", inHead)} ORDER BY id DESC LIMIT @limit", parameters);
        if (first.Count >= limit)
        {
            return [.. first.Select(id => (id, 1))];
        }

        // Fewer than the limit rank first, so all of them are known: the newest `limit` tickets with every
        // term anywhere hold enough others. Written as sets (UNION, INTERSECT), so each term's matches come
        // from an index; the newest tickets first, bounded by the window, which is where a common term's
        // answer is, then the rest, where only a rare term (few matches) still has to look.
        var newest = connection.Scalar("SELECT coalesce(max(id), 0) FROM tickets", transaction) as long? ?? 0;
        var rest = Ids(connection, transaction, Intersect(newestSets), [.. parameters, ("@lo", newest - _window), ("@hi", newest)]);
        if (rest.Count < limit && newest > _window)
        {
            rest.AddRange(Ids(connection, transaction, Intersect(olderSets), [.. parameters, ("@lo", long.MinValue), ("@hi", newest - _window)]));
        }

        return Merge(first, rest, limit);
    }

    // The tickets between @lo and @hi with one term in their subject or customer fields or in a message.
    private static string Matches(string head, string body) => $"""
        SELECT id FROM tickets WHERE id > @lo AND id <= @hi AND {head}
        UNION
        SELECT ticket_id FROM messages WHERE ticket_id > @lo AND ticket_id <= @hi AND {body}
        """;

    // The newest @limit tickets in every term's set.
    private static string Intersect(List<string> sets) =>
        "SELECT id FROM (" + string.Join(" INTERSECT ", sets.Select(set => $"({set})")) + ") found ORDER BY id DESC LIMIT @limit";

    private static List<long> Ids(DbConnection connection, DbTransaction transaction, string sql, List<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(sql, transaction, [.. parameters]);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
