using System.CommandLine;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw reply ...</c>: answering a customer from the command line.</summary>
internal sealed class ReplyCommands(IServiceProvider services, TimeFormat time, TextWriter output)
{
    // The resolved actor of this command (--as, TICKETGW_AS, else cli:<os user>); static so static and instance members use it alike.
    private static string Actor => CliActor.Current;

    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Argument<string> Reference = CliSymbols.Argument("REF", "the ticket reference");
    private static readonly Option<string?> Text = CliSymbols.Value("--text", "T", "the agent's answer, sent in the agent-reply template (or with --resolve the resolution mail)");
    private static readonly Option<string?> Template = CliSymbols.Value("--template", "NAME", "a canned template to send instead of --text");
    private static readonly Option<bool> Resolve = new("--resolve") { Description = "also resolve the ticket (email tickets then get the survey)" };
    private static readonly Option<bool> ByPhone = new("--by-phone") { Description = "record an answer given on the phone (--text says what the customer was told): the first reply if none was given; nothing is mailed" };
    private static readonly Option<string[]> Attach = new("--attach") { HelpName = "FILE", Description = "a file to send with the reply (repeat for several; Mail:Outbound:MaxAttachmentBytes caps them together)" };

    public static Command Create()
    {
        var reply = new Command("reply", "answer the customer by mail (or, on an operator complaint, the operator with a progress update); give exactly one of --text and --template")
        {
            Reference, Text, Template, Resolve, ByPhone, Attach, JsonOption,
        };
        CliSession.SetAction(reply, (p, s, ct) => new ReplyCommands(s.Services, s.Time, s.Output).ReplyAsync(p, ct));
        return reply;
    }

    private async Task<int> ReplyAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var reference = a.GetValue(Reference)!;
        var text = a.GetValue(Text);
        var template = a.GetValue(Template);
        if ((text is null) == (template is null))
        {
            throw new CliException("reply: give exactly one of --text T or --template NAME.");
        }

        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            throw new CliException("reply: --text is empty.");
        }

        var id = TicketService.ParseReference(reference);
        if (a.GetValue(ByPhone))
        {
            return await ReplyByPhoneAsync(a, id, text, template, cancellationToken);
        }

        var workflow = services.GetRequiredService<ReplyWorkflow>();
        var tickets = services.GetRequiredService<TicketService>();
        // An agent acting with --as signs the reply with their name, as their mail would.
        var agentName = services.GetRequiredService<AgentAccounts>().Find(Actor)?.Name;
        var files = ReplyFiles.Read(a.GetValue(Attach) ?? [], services.GetRequiredService<MailOptions>().Outbound.MaxAttachmentBytes);
        var ticket = await tickets.Database.WriteAsync((c, tx) => workflow.Reply(c, tx, id, text, template, a.GetValue(Resolve), Actor, agentName, files), cancellationToken);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(TicketJson.Ticket(ticket, time)));
        }
        else
        {
            var to = ticket.Channel == Channel.Operator && ticket.Customer.Email is null ? $"operator {ticket.Operator?.OperatorId} (progress update)" : ticket.Customer.Email;
            output.WriteLine($"{ticket.Ref}: reply queued for {to}" + (files.Count > 0 ? $" with {files.Count} file(s)" : "") + (ticket.Status != TicketStatus.Resolved ? "." : ticket.Channel == Channel.Email ? "; resolved, survey queued." : "; resolved."));
        }

        return 0;
    }

    private async Task<int> ReplyByPhoneAsync(ParseResult a, long id, string? text, string? template, CancellationToken cancellationToken)
    {
        if (template is not null || a.GetValue(Resolve))
        {
            throw new CliException("reply --by-phone: give --text saying what the customer was told; --template and --resolve do not apply to an answer given on the phone.");
        }

        var phone = services.GetRequiredService<PhoneContacts>();
        var tickets = services.GetRequiredService<TicketService>();
        var ticket = await tickets.Database.WriteAsync((c, tx) => phone.ReplyByPhone(c, tx, id, text!, Actor), cancellationToken);
        output.WriteLine(a.GetValue(JsonOption)
            ? TicketJson.Write(TicketJson.Ticket(ticket, time))
            : $"{ticket.Ref}: answer given on the phone recorded; first reply {time.Format(ticket.FirstReplyAt)} (due {time.Format(ticket.ReplyDueAt)}).");
        return 0;
    }
}
