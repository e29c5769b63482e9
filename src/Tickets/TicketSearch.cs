using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets;

/// <summary>
/// Finds tickets by text in their subject, customer name, email, phone and messages: each term
/// (terms are separated by white space) is a case-insensitive substring, Chinese included, and a
/// ticket must contain every term, each anywhere in it. A query that is a phone number however written
/// (<c>+86 138 0013 8000</c>, <c>138-0013-8000</c>) is one term, the number's national form.
/// </summary>
/// <remarks>
/// Ranking: tickets with every term in their subject or customer fields first (rank 1: a hit on what
/// the ticket is about, or on who it is from, outranks words in a long mail); among equals the newest
/// ticket first (the highest reference: tickets are numbered as they reach the desk). New tickets and
/// messages are found as soon as their transaction commits: the index is written in it.
/// </remarks>
public sealed class TicketSearch(TicketDatabase database)
{
    /// <summary>How many tickets a search returns unless asked otherwise.</summary>
    public const int DefaultLimit = 20;

    /// <summary>The most terms one search takes.</summary>
    public const int MaxTerms = 10;

    /// <summary>The longest term, in characters.</summary>
    public const int MaxTermLength = 200;

    /// <summary>The tickets matching <paramref name="text"/>, best first, at most <paramref name="limit"/>.</summary>
    /// <exception cref="TicketException">The text has no term, too many, or one too long; the limit is below 1.</exception>
    public IReadOnlyList<SearchHit> Search(string text, int limit = DefaultLimit)
    {
        var terms = Terms(text);
        if (limit < 1)
        {
            throw new TicketException(TicketError.Invalid, $"The search limit must be 1 or more, not {limit}.");
        }

        return database.Read(connection => SearchIndex.For(database.Dialect)
            .Top(connection, terms, limit)
            .Select(hit => TicketSql.Find(connection, null, hit.Id) is { } ticket ? new SearchHit(ticket, hit.Rank) : null)
            .OfType<SearchHit>()
            .ToList());
    }

    /// <summary>The terms of a search text: a phone number as its national form, else the words.</summary>
    /// <exception cref="TicketException">No term, too many, or one too long.</exception>
    public static IReadOnlyList<string> Terms(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TicketException(TicketError.Invalid, "The search text is empty; give at least one word, name, address or phone number.");
        }

        if (PhoneNumber.LooksLikeOne(text))
        {
            return [PhoneNumber.National(text)];
        }

        // Split on any white space, the ideographic space (U+3000) of Chinese input methods included.
        var terms = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (terms.Count > MaxTerms)
        {
            throw new TicketException(TicketError.Invalid, $"The search text has {terms.Count} terms; at most {MaxTerms} are taken.");
        }

        if (terms.FirstOrDefault(t => t.Length > MaxTermLength) is { } tooLong)
        {
            throw new TicketException(TicketError.Invalid, $"The search term '{tooLong[..20]}...' has {tooLong.Length} characters; at most {MaxTermLength} are taken.");
        }

        return terms;
    }
}
