using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Search;

/// <summary>
/// Schema step 651 replaces the function behind PostgreSQL's index of one- and two-character terms (step
/// 551) with a cheaper one, without rebuilding the indexes made with the old one: that is only right if
/// both give the same array for every text. Compared here on the kinds of text the desk stores: Chinese,
/// English, phone numbers, every kind of white space, empty and blank texts, and random Unicode.
/// </summary>
public sealed class PostgresSearchGramsTests
{
    // Step 551's function as released (PostgresSearchIndex.ShortTermsSchema), under another name.
    private const string Released = """
        CREATE FUNCTION released_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
            SELECT coalesce(array_agg(DISTINCT g), '{}')
            FROM (SELECT lower(t) AS l) s, generate_series(1, char_length(s.l)) i,
                unnest(ARRAY[substr(s.l, i, 1), substr(s.l, i, 2)]) g
            WHERE g !~ '\s'
        $fn$
        """;

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    [PostgresFact]
    public async Task TicketSearchGrams_AfterStep651_SameArrayAsStep551ForEveryText()
    {
        await using var store = new TempStore(Now, StoreKind.Postgres);
        using var connection = store.Db.OpenConnection();
        connection.Execute(Released);
        Assert.Contains("regexp_split_to_table", connection.Scalar("SELECT prosrc FROM pg_proc WHERE proname = 'ticket_search_grams'") as string, StringComparison.Ordinal);

        var texts = new List<string>
        {
            "", " ", "\t\n", "a", " x ", "ab", "a b", "Hello, World", "您好，我的手机号码是 13800138000，本月被扣了 10 元",
            "Music Club 包月费用\r\n请退款\u3000谢谢\u00a0OK", "x\u2003y\u200bz", "  leading and trailing  ", "ÀÉÎ ǅ straße İ",
            "138 0013 8000 / +86-138-0013-8000", "emoji 😀😀 pair 👍🏽", "tab\tsep\vvert\fform",
        };
        var random = new Random(651);
        for (var i = 0; i < 200; i++)
        {
            texts.Add(string.Concat(Enumerable.Range(0, random.Next(0, 60)).Select(_ => Pick(random))));
        }

        var differing = new List<string>();
        foreach (var text in texts)
        {
            var both = connection.Scalar("SELECT CASE WHEN ticket_search_grams(@t) = released_grams(@t) THEN '' ELSE ticket_search_grams(@t)::text || ' <> ' || released_grams(@t)::text END", null, ("@t", text)) as string;
            if (both != "")
            {
                differing.Add($"{text}: {both}");
            }
        }

        Assert.Empty(differing);
    }

    // Mostly CJK, Latin and white space of every kind, some symbols beyond the Basic Multilingual Plane.
    private static string Pick(Random random) => random.Next(10) switch
    {
        0 => " ",
        1 => random.Next(4) switch { 0 => "\t", 1 => "\n", 2 => "\u3000", _ => "\u00a0" },
        2 or 3 => ((char)random.Next(0x4E00, 0x4E40)).ToString(),
        4 => char.ConvertFromUtf32(random.Next(0x1F600, 0x1F610)),
        5 => ((char)random.Next('0', '9' + 1)).ToString(),
        _ => ((char)random.Next('A', 'z' + 1)).ToString(),
    };
}
