using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using System.Globalization;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Attachments;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Web.Pages.Tickets;

/// <summary>
/// One ticket: customer and earlier tickets, deadlines, the conversation with its files, the history,
/// and the actions (reply with text, template and files, preview, note, take, assign, resolve, level,
/// kind, status, refund, merge, an answer given on the phone, the customer's satisfaction said on the
/// phone), each through the same service as its CLI command, with the signed-in agent as the actor.
/// </summary>
internal sealed partial class TicketModel(
    TicketService tickets,
    TicketOwnership ownership,
    PhoneContacts phone,
    ComplaintRefunds refunds,
    ReplyWorkflow workflow,
    ReplyTemplates templates,
    AgentAccounts accounts,
    MailOptions mail,
    IAuthorizationService authorization,
    WebText text,
    TimeProvider clock) : WebPageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = "";

    /// <summary>What the agent typed, kept when the page comes back with a preview or an error.</summary>
    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Template { get; set; }

    public TicketDetails? Details { get; private set; }

    public IReadOnlyList<Attachment> Files { get; private set; } = [];

    public IReadOnlyList<Ticket> Earlier { get; private set; } = [];

    public IReadOnlyList<QueuedUpdate> Updates { get; private set; } = [];

    public IReadOnlyList<AgentAccount> Agents { get; private set; } = [];

    public RenderedMail? Preview { get; private set; }

    /// <summary>What the operator filed beside the ticket (category, refund), for operator complaints.</summary>
    public OperatorComplaint? Complaint { get; private set; }

    /// <summary>The tickets merged into this one.</summary>
    public IReadOnlyList<string> MergedFrom { get; private set; } = [];

    /// <summary>The ticket this one was merged into, if it was.</summary>
    public string? MergedInto { get; private set; }

    /// <summary>The statuses an agent moves a ticket to by hand (resolving needs a text, so it is its own action).</summary>
    public static IReadOnlyList<TicketStatus> Movable { get; } = [TicketStatus.Open, TicketStatus.Pending, TicketStatus.Closed];

    public bool CanAssign { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public IReadOnlyList<string> CannedTemplates => TemplateNames.Canned.Where(templates.Exists).ToList();

    public async Task<IActionResult> OnGetAsync(string? done)
    {
        Done = done switch
        {
            "note" => text["Note added."],
            "take" => text["You own the ticket now."],
            "assign" => text["Owner changed."],
            "reply" => text["Reply queued for the customer."],
            "resolve" => text["Resolved; the customer is told."],
            "level" => text["Level changed; the resolution deadline is recomputed from acceptance."],
            "kind" => text["Kind changed; the deadlines are those of the new kind."],
            "status" => text["Status changed."],
            "refund" => text["Refund recorded; the operator gets it with the resolution."],
            "merged" => text["Merged: the other ticket's messages, files and history are here, and it is closed."],
            "phone" => text["Answer given on the phone recorded."],
            "satisfaction" => text["The customer's satisfaction is recorded."],
            _ => null,
        };
        return await LoadAsync() ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string? action, string? owner, string? value, string? said, List<IFormFile>? files, CancellationToken cancellationToken)
    {
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }

        var ticket = Details!.Ticket;
        try
        {
            switch (action)
            {
                case "preview":
                    Preview = Render(ticket);
                    return Page();
                case "note":
                    await tickets.AddNoteAsync(ticket.Ref, Text ?? "", Actor, cancellationToken);
                    return Back("note");
                case "take":
                    if (ticket.Owner is { } current && current != Actor && !CanAssign)
                    {
                        return Forbid();
                    }

                    await ownership.TakeAsync(ticket.Ref, Actor, cancellationToken);
                    return Back("take");
                case "assign":
                    if (!CanAssign)
                    {
                        return Forbid();
                    }

                    await ownership.AssignAsync(ticket.Ref, string.IsNullOrWhiteSpace(owner) || owner == "none" ? null : owner, Actor, cancellationToken);
                    return Back("assign");
                case "reply" or "resolve":
                    return await ReplyAsync(ticket, action == "resolve", files ?? [], cancellationToken);
                case "level":
                    await tickets.SetLevelAsync(ticket.Ref, int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : throw Invalid(text["Choose a level from 1 to 4."]), Actor, cancellationToken);
                    return Back("level");
                case "kind":
                    await tickets.SetKindAsync(ticket.Ref, Parse<TicketKind>(value, text["Choose a kind."]), null, Actor, cancellationToken);
                    return Back("kind");
                case "status":
                    await tickets.SetStatusAsync(ticket.Ref, Parse<TicketStatus>(value, text["Choose a status."]), Actor, cancellationToken);
                    return Back("status");
                case "refund":
                    await refunds.RecordAsync(ticket.Ref, Number(value, text["Give the refund as a whole number of fen (1 yuan = 100 fen)."]), Actor, cancellationToken);
                    return Back("refund");
                case "merge":
                    var target = await tickets.MergeAsync(ticket.Ref, string.IsNullOrWhiteSpace(value) ? throw Invalid(text["Give the reference of the ticket to merge this one into."]) : value.Trim(), Actor, cancellationToken);
                    return Redirect($"/tickets/{target.Ref}?done=merged");
                case "phone":
                    await tickets.Database.WriteAsync((c, tx) => phone.ReplyByPhone(c, tx, ticket.Id, said ?? "", Actor), cancellationToken);
                    return Back("phone");
                case "satisfaction":
                    await phone.RecordSatisfactionAsync(ticket.Ref, Parse<Satisfaction>(value, text["Choose satisfied or unsatisfied."]), said, Actor, cancellationToken);
                    return Back("satisfaction");
                default:
                    return Refuse(text["Choose an action."], StatusCodes.Status400BadRequest);
            }
        }
        catch (TicketException ex)
        {
            await LoadAsync();
            return Refuse(ex.Message, WebRefusals.Status(ex));
        }
    }

    public string Local(DateTimeOffset? at) => at is { } v ? tickets.Local(v) : "-";

    private async Task<IActionResult> ReplyAsync(Ticket ticket, bool resolve, List<IFormFile> files, CancellationToken cancellationToken)
    {
        var max = mail.Outbound.MaxAttachmentBytes;
        var total = files.Sum(f => f.Length);
        if (total > max)
        {
            return Refuse(text.Format("The files are {0} bytes together; a mail may carry at most {1} (Mail:Outbound:MaxAttachmentBytes). Nothing was sent.", total, max), StatusCodes.Status413PayloadTooLarge);
        }

        var attachments = new List<NewAttachment>();
        foreach (var f in files)
        {
            using var buffer = new MemoryStream();
            await f.CopyToAsync(buffer, cancellationToken);
            attachments.Add(NewAttachment.Of(Path.GetFileName(f.FileName), string.IsNullOrEmpty(f.ContentType) ? "application/octet-stream" : f.ContentType, buffer.ToArray()));
        }

        var template = string.IsNullOrEmpty(Template) ? null : Template;
        if (resolve && string.IsNullOrWhiteSpace(Text) && template is null)
        {
            return Refuse(text["Say how the ticket was resolved: the customer reads it."], StatusCodes.Status400BadRequest);
        }

        if (!resolve && template is not null && !string.IsNullOrWhiteSpace(Text))
        {
            return Refuse(text["Send either your text or a template, not both."], StatusCodes.Status400BadRequest);
        }

        var name = accounts.Find(Actor)?.Name;
        var text1 = template is null ? Text : null;
        await tickets.Database.WriteAsync((c, tx) => workflow.Reply(c, tx, ticket.Id, text1, template, resolve, Actor, name, attachments), cancellationToken);
        return Back(resolve ? "resolve" : "reply");
    }

    private RenderedMail Render(Ticket ticket)
    {
        var template = string.IsNullOrEmpty(Template) ? TemplateNames.AgentReply : Template;
        if (!templates.Exists(template))
        {
            throw new TicketException(TicketError.Invalid, $"There is no template named '{template}'.");
        }

        return templates.Render(template, ticket.Language, new TemplateData { Ticket = ticket, AgentName = accounts.Find(Actor)?.Name ?? "", AgentText = Text });
    }

    private static TicketException Invalid(string message) => new(TicketError.Invalid, message);

    private static long Number(string? value, string refusal) =>
        long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(refusal);

    private static T Parse<T>(string? value, string refusal)
        where T : struct, Enum =>
        Names.TryParse<T>(value, out var parsed) ? parsed : throw Invalid(refusal);

    // The outcome travels as a code, so nobody can make the page say a sentence of their own with a link.
    private RedirectResult Back(string done) => Redirect($"/tickets/{Details!.Ticket.Ref}?done={done}");

    private async Task<PageResult?> LoadAsync()
    {
        Now = clock.GetUtcNow();
        try
        {
            Details = tickets.Get(Reference);
        }
        catch (TicketException ex) when (ex.Error is TicketError.NotFound or TicketError.Invalid)
        {
            return Refuse(ex.Message, StatusCodes.Status404NotFound);
        }

        var t = Details.Ticket;
        Files = tickets.Attachments(t.Ref);
        var customer = t.Customer.Email ?? t.Customer.Phone;
        Earlier = customer is null ? [] : [.. tickets.List(new TicketQuery(Customer: customer, Limit: 50)).Where(o => o.Id != t.Id).OrderByDescending(o => o.AcceptedAt)];
        (Updates, Complaint) = t.Channel == Channel.Operator
            ? tickets.Database.Read(c => (UpdateOutbox.ForTicket(c, null, t.Id), ComplaintSql.ForTicket(c, null, t.Id)))
            : ([], null);
        MergedFrom = [.. tickets.MergedFrom(t.Id).Select(TicketReference.Format)];
        MergedInto = tickets.MergeTarget(t.Id) is { } into ? TicketReference.Format(into) : null;
        CanAssign = (await authorization.AuthorizeAsync(User, WebPolicies.Lead)).Succeeded;
        Agents = CanAssign ? [.. accounts.List().Where(a => a.Active)] : [];
        return null;
    }
}
