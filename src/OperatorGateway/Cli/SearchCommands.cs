using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw tickets search TEXT</c>: tickets by text, phone number or address, over <see cref="TicketSearch"/>.</summary>
internal static class SearchCommands
{
    private static readonly Argument<string[]> Text = new("TEXT")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "search text (words, Chinese without spaces, a name, an address or a phone number; every word must match)",
    };

    private static readonly Option<string?> Limit = CliSymbols.Value("--limit", "N", $"at most N tickets (default {TicketSearch.DefaultLimit})");

    private static readonly Option<bool> JsonOption = CliSymbols.Json();

    public static Command Create()
    {
        var search = new Command("search", "tickets whose subject, customer name, email, phone or messages contain every word, best first (matches in subject or customer first, then newest)")
        {
            Text, Limit, JsonOption,
        };
        CliSession.SetAction(search, Search);
        return search;
    }

    private static int Search(ParseResult a, CliSession s)
    {
        var limit = TicketSearch.DefaultLimit;
        if (a.GetValue(Limit) is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new CliException($"tickets search: --limit '{limitText}' is not a positive whole number.");
        }

        var text = string.Join(' ', a.GetValue(Text) ?? []);
        IReadOnlyList<SearchHit> hits;
        try
        {
            var search = s.Services.GetRequiredService<TicketSearch>();
            StartupTrace.Mark("store opened");
            hits = search.Search(text, limit);
            StartupTrace.Mark("searched");
        }
        catch (TicketException ex) when (ex.Error == TicketError.Invalid)
        {
            throw new CliException($"tickets search: {ex.Message}");
        }

        if (a.GetValue(JsonOption))
        {
            s.Output.WriteLine(TicketJson.Write(new JsonArray([.. hits.Select(h =>
            {
                var json = TicketJson.Ticket(h.Ticket, s.Time);
                json["rank"] = h.Rank;
                return (JsonNode)json;
            })])));
            return 0;
        }

        var table = new TextTable("REF", "RANK", "STATUS", "ACCEPTED", "CUSTOMER", "SUBJECT");
        foreach (var h in hits)
        {
            var t = h.Ticket;
            table.Add(
                t.Ref,
                h.Rank.ToString(CultureInfo.InvariantCulture),
                Names.Of(t.Status),
                s.Time.Format(t.AcceptedAt),
                t.Customer.Email ?? t.Customer.Phone ?? t.Customer.Name ?? "-",
                t.Subject.Length > 60 ? t.Subject[..57] + "..." : t.Subject);
        }

        s.Output.Write(table.ToString());
        s.Output.WriteLine($"{hits.Count} ticket(s).");
        return 0;
    }
}
