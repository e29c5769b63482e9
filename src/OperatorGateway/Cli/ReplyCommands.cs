using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw reply ...</c>: answering a customer from the command line.</summary>
internal sealed class ReplyCommands(IServiceProvider services, TimeFormat time, TextWriter output)
{
    private const string Actor = "cli";

    public async Task<int> ReplyAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = CliArgs.Parse("reply", args, ["text", "template"], ["resolve", "json"]);
        a.NoMorePositionals(1);
        var reference = a.Positional(0, "the ticket reference");
        var text = a.Optional("text");
        var template = a.Optional("template");
        if ((text is null) == (template is null))
        {
            throw new CliException("reply: give exactly one of --text T or --template NAME.");
        }

        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            throw new CliException("reply: --text is empty.");
        }

        var id = TicketService.ParseReference(reference);
        var workflow = services.GetRequiredService<ReplyWorkflow>();
        var tickets = services.GetRequiredService<TicketService>();
        var ticket = await tickets.Database.WriteAsync((c, tx) => workflow.Reply(c, tx, id, text, template, a.Flag("resolve"), Actor), cancellationToken);
        if (a.Flag("json"))
        {
            output.WriteLine(TicketJson.Write(TicketJson.Ticket(ticket, time)));
        }
        else
        {
            var to = ticket.Channel == Channel.Operator && ticket.Customer.Email is null ? $"operator {ticket.Operator?.OperatorId} (progress update)" : ticket.Customer.Email;
            output.WriteLine($"{ticket.Ref}: reply queued for {to}" + (ticket.Status != TicketStatus.Resolved ? "." : ticket.Channel == Channel.Email ? "; resolved, survey queued." : "; resolved."));
        }

        return 0;
    }
}
