using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MimeKit;
using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Web.Pages.Lead;

/// <summary>
/// Mail the intake could not process (lead and admin): the list as <c>quarantine list</c> shows it, one
/// mail's headers and reason, retry with a charset and discard, through the same
/// <see cref="QuarantineService"/> as the CLI, with the signed-in agent as the actor.
/// </summary>
[Authorize(Policy = WebPolicies.Lead)]
internal sealed class QuarantineModel(QuarantineService quarantine, TicketService tickets, WebText text) : WebPageModel
{
    // Headers of a hostile mail can be many and long; the page shows the first ones, cut.
    private const int MaxHeaders = 200;
    private const int MaxHeaderValue = 2_000;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    /// <summary>Also mail already retried or discarded (<c>quarantine list --all</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    [BindProperty]
    public string? Charset { get; set; }

    public IReadOnlyList<QuarantinedMail> List { get; private set; } = [];

    public QuarantinedMail? Selected { get; private set; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; private set; } = [];

    public IActionResult OnGet(string? done)
    {
        if (Load() is { } refused)
        {
            return refused;
        }

        Done = (done, Selected) switch
        {
            ("retry", { TicketId: { } t }) => text.Format("Quarantined mail {0} was processed again: {1}.", Selected.Id, TicketReference.Format(t)),
            ("retry", { } q) => text.Format("Quarantined mail {0} was processed again; it made no ticket.", q.Id),
            ("discard", { } q) => text.Format("Quarantined mail {0} discarded; its raw bytes stay in the store.", q.Id),
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? action, CancellationToken cancellationToken)
    {
        if (Load() is { } refused)
        {
            return refused;
        }

        if (Selected is not { } q)
        {
            return Refuse(text["Choose a quarantined mail first."], StatusCodes.Status400BadRequest);
        }

        try
        {
            switch (action)
            {
                case "retry":
                    // The same call as 'quarantine retry ID --charset NAME'; an empty box reads the mail as it declares.
                    await quarantine.RetryAsync(q.Id, string.IsNullOrWhiteSpace(Charset) ? null : Charset.Trim(), Actor, cancellationToken);
                    break;
                case "discard":
                    await quarantine.DiscardAsync(q.Id, Actor, cancellationToken);
                    break;
                default:
                    return Refuse(text["Choose an action."], StatusCodes.Status400BadRequest);
            }
        }
        catch (TicketException ex)
        {
            Load();
            return Refuse(ex.Message, WebRefusals.Status(ex));
        }

        // The outcome travels as a code, so nobody can make the page say a sentence of their own with a link.
        return Redirect($"/quarantine/{q.Id.ToString(CultureInfo.InvariantCulture)}?done={action}");
    }

    public string Local(DateTimeOffset? at) => at is { } v ? tickets.Local(v) : "-";

    private PageResult? Load()
    {
        List = quarantine.List(All);
        if (string.IsNullOrEmpty(Id))
        {
            return null;
        }

        if (!long.TryParse(Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            return Refuse(text.Format("'{0}' is not a quarantine id; ids are the whole numbers in the list below.", Id), StatusCodes.Status404NotFound);
        }

        try
        {
            Selected = quarantine.Get(id);
            Headers = ReadHeaders(quarantine.Raw(id));
            return null;
        }
        catch (TicketException ex) when (ex.Error == TicketError.NotFound)
        {
            return Refuse(text.Format("There is no quarantined mail {0}; the list below shows them.", id), StatusCodes.Status404NotFound);
        }
    }

    /// <summary>The mail's header fields, decoded (RFC 2047, raw 8-bit as GB18030) as the intake reads them.</summary>
    private static List<(string, string)> ReadHeaders(byte[] raw)
    {
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            return [.. HeaderList.Load(new ParserOptions { CharsetEncoding = MailCharsets.Gb18030 }, stream).Take(MaxHeaders).Select(h => (h.Field, h.Value.Length > MaxHeaderValue ? h.Value[..MaxHeaderValue] + "..." : h.Value))];
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
