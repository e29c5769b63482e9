using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Web.Pages.Lead;

/// <summary>
/// Work that did not get out (lead and admin): mail the SMTP server refused or that waits too long,
/// updates the operator has not received, alerts whose chat post or mail failed; each retried with the
/// service of the matching CLI command (<c>outbox retry</c>, <c>operator retry</c>, <c>alerts retry</c>),
/// the signed-in agent as the actor.
/// </summary>
[Authorize(Policy = WebPolicies.Lead)]
internal sealed class StuckModel(Outbox outbox, UpdateRetry updates, AlertStore alerts, TicketService tickets, WebText text, TimeProvider clock) : WebPageModel
{
    /// <summary>A queued mail older than this, or one already tried, is late.</summary>
    private static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(5);

    public IReadOnlyList<OutboxEntry> Mail { get; private set; } = [];

    public IReadOnlyList<(QueuedUpdate Update, DateTimeOffset NextAttemptAt, string? LastError)> Updates { get; private set; } = [];

    public IReadOnlyList<Alert> Alerts { get; private set; } = [];

    public IActionResult OnGet(string? done, string? id)
    {
        Done = done switch
        {
            "outbox" => text.Format("Outbox mail {0} queued for a new attempt.", Number(id)),
            "update" => text.Format("Operator update {0} queued for a new attempt.", Safe(id)),
            "alert" => text.Format("Alert {0} queued for a new attempt.", Number(id)),
            _ => null,
        };
        Load();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? action, string? id, string? reference, string? sequence, CancellationToken cancellationToken)
    {
        try
        {
            switch (action)
            {
                case "outbox":
                    var mail = await outbox.Delivery.RetryAsync(ParseId(id, "outbox mail"), Actor, cancellationToken);
                    return Back("outbox", mail.Id.ToString(CultureInfo.InvariantCulture));
                case "update":
                    var seq = ParseId(sequence, "update sequence");
                    var u = await updates.RetryAsync(reference ?? "", seq, Actor, cancellationToken);
                    return Back("update", $"{TicketReference.Format(u.TicketId)}#{u.Sequence.ToString(CultureInfo.InvariantCulture)}");
                case "alert":
                    var alertId = ParseId(id, "alert");
                    await alerts.RetryAsync(alertId, Actor, cancellationToken);
                    return Back("alert", alertId.ToString(CultureInfo.InvariantCulture));
                default:
                    Load();
                    return Refuse(text["Choose an action."], StatusCodes.Status400BadRequest);
            }
        }
        catch (TicketException ex)
        {
            Load();
            return Refuse(ex.Message, WebRefusals.Status(ex));
        }
    }

    public string Local(DateTimeOffset? at) => at is { } v ? tickets.Local(v) : "-";

    private RedirectResult Back(string done, string id) => Redirect($"/stuck?done={done}&id={Uri.EscapeDataString(id)}");

    private long ParseId(string? value, string what) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new TicketException(TicketError.Invalid, text.Format("'{0}' is not a valid {1}; use the buttons of the list.", value ?? "", text[what]));

    private static string Number(string? id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "?";

    // TG-000123#2 and nothing else: the page never repeats a sentence given in its link.
    private static string Safe(string? id) => id is { Length: <= 20 } s && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '#') ? s : "?";

    private void Load()
    {
        var now = clock.GetUtcNow();
        Mail = [.. outbox.List(OutboxStatus.Failed, 200)
            .Concat(outbox.List(OutboxStatus.Queued, 1000).Where(e => e.LastError is not null || e.CreatedAt < now - LateAfter))
            .OrderBy(e => e.CreatedAt)];
        Updates = updates.Stuck();
        Alerts = alerts.FailedDelivery();
    }
}
