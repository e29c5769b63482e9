using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Web.Pages;

/// <summary>
/// A new contact from a call (every agent): the caller's number finds their tickets, and the form
/// records a phone ticket as <c>tickets create --channel phone</c> does (<see cref="PhoneContacts"/>,
/// linked to the call when its id is known), then opens the new ticket.
/// </summary>
internal sealed class CallsModel(TicketService tickets, PhoneContacts phone, WebText text) : WebPageModel
{
    // The caller's history on one screen; the ticket page shows more of each.
    private const int Shown = 50;

    [BindProperty(SupportsGet = true)]
    public string? Phone { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Call { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Level { get; set; }

    [BindProperty]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string Language { get; set; } = "zh-CN";

    /// <summary>The caller's tickets, newest first; null before a number was looked up.</summary>
    public IReadOnlyList<Ticket>? Found { get; private set; }

    public static IReadOnlyList<TicketKind> Kinds { get; } = Enum.GetValues<TicketKind>();

    public IActionResult OnGet()
    {
        if (!string.IsNullOrWhiteSpace(Phone) && Lookup() is { } refused)
        {
            return refused;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Phone) || Lookup() is not null)
        {
            return Refuse(text["Give the caller's number (at least 7 digits)."], StatusCodes.Status400BadRequest);
        }

        if (!Names.TryParse<TicketKind>(Kind, out var kind))
        {
            return Refuse(text["Choose the kind of contact."], StatusCodes.Status400BadRequest);
        }

        int? level = null;
        if (!string.IsNullOrEmpty(Level))
        {
            if (!int.TryParse(Level, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l))
            {
                return Refuse(text["The level is 1, 2, 3 or 4."], StatusCodes.Status400BadRequest);
            }

            level = l;
        }

        if (Language is not ("zh-CN" or "en"))
        {
            return Refuse(text["The language is Chinese or English."], StatusCodes.Status400BadRequest);
        }

        try
        {
            var request = new NewTicket(Channel.Phone, kind, new Customer(Blank(Name), null, Phone.Trim()), Subject ?? "", Text ?? "", level, Language);
            var (ticket, _) = await phone.CreateAsync(request, Blank(Call), Actor, cancellationToken);
            return Redirect($"/tickets/{ticket.Ref}");
        }
        catch (TicketException ex)
        {
            return Refuse(ex.Message, StatusCodes.Status400BadRequest);
        }
    }

    public string Local(DateTimeOffset at) => tickets.Local(at);

    private PageResult? Lookup()
    {
        if (!PhoneNumber.LooksLikeOne(Phone!))
        {
            return Refuse(text.Format("'{0}' is not a phone number; give the caller's number with at least 7 digits.", Phone!), StatusCodes.Status400BadRequest);
        }

        Found = [.. tickets.List(new TicketQuery(Customer: Phone!.Trim(), Limit: Shown)).OrderByDescending(t => t.AcceptedAt)];
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
