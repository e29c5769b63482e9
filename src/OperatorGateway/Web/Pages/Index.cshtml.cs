using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Web.Pages;

/// <summary>
/// The queue: my tickets, unassigned, all; by time left to the nearest deadline; filters and the
/// search box. The rows come again from <c>?handler=Rows</c>, which the page's script polls.
/// </summary>
internal sealed class IndexModel(TicketService tickets, TicketSearch search, IOptions<WebOptions> options, TimeProvider clock) : WebPageModel
{
    // Enough for a desk's screen; the order puts the most urgent first.
    private const int Shown = 200;

    [BindProperty(SupportsGet = true)]
    public string Tab { get; set; } = "mine";

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Level { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<Ticket> Tickets { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public int RefreshMilliseconds => (int)options.Value.QueueRefresh.TotalMilliseconds;

    public IActionResult OnGet()
    {
        Load();
        return Page();
    }

    /// <summary>The rows alone, for the page's polling.</summary>
    public IActionResult OnGetRows()
    {
        Load();
        return Partial("_QueueRows", this);
    }

    public string TabLink(string tab) => QueryLink(("tab", tab));

    private string QueryLink((string Key, string Value) change)
    {
        var query = Request.Query.Where(q => q.Key != change.Key && q.Key != "handler")
            .Select(q => (q.Key, Value: q.Value.ToString())).Append(change)
            .Where(q => !string.IsNullOrEmpty(q.Value));
        return "/?" + string.Join("&", query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)));
    }

    private void Load()
    {
        Now = clock.GetUtcNow();
        // An unknown value (an old link) filters nothing rather than everything.
        TicketKind? kind = Names.TryParse<TicketKind>(Kind, out var k) ? k : null;
        TicketStatus? status = Names.TryParse<TicketStatus>(Status, out var s) ? s : null;
        Channel? channel = Names.TryParse<Channel>(Channel, out var c) ? c : null;
        var owner = Tab switch
        {
            "mine" => Actor,
            "unassigned" => TicketQuery.Unowned,
            _ => string.IsNullOrWhiteSpace(Owner) ? null : Owner.Trim() == "none" ? TicketQuery.Unowned : Owner.Trim().ToLowerInvariant(),
        };
        IEnumerable<Ticket> found = string.IsNullOrWhiteSpace(Q)
            // The store sorts by the nearest deadline (step 591's indexes) and filters; without a status, the queue
            // is work to do: resolved and closed tickets only when asked for by status.
            ? tickets.List(new TicketQuery(status, kind, channel, Limit: Shown) { Owner = owner, Level = Level, Running = status is null })
            : search.Search(Q.Trim()).Select(h => h.Ticket)
                .Where(t => (status is null ? t.Status is not (TicketStatus.Resolved or TicketStatus.Closed) : t.Status == status)
                    && (kind is null || t.Kind == kind) && (channel is null || t.Channel == channel)
                    && (owner is null || (t.Owner ?? "") == owner) && (Level is null || t.Level == Level))
                .OrderBy(t => t.NextDueAt ?? DateTimeOffset.MaxValue);
        Tickets = [.. found.Take(Shown)];
    }
}
