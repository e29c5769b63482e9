using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw templates ...</c> and <c>ticketgw reply ...</c>: the templates, and answering a customer from the command line.</summary>
internal sealed class ReplyCommands(IServiceProvider services, TimeFormat time, TextWriter output)
{
    private const string Actor = "cli";

    public int Templates(string verb, IReadOnlyList<string> rest)
    {
        // Building the templates parses and renders every one with sample data; an error throws
        // InvalidDataException, which the program reports with file, line and column (exit 2).
        var templates = services.GetRequiredService<ReplyTemplates>();
        switch (verb)
        {
            case "check":
            {
                CliArgs.Parse("templates check", rest, [], []).NoMorePositionals(0);
                var table = new TextTable("NAME", "LANGUAGE", "SOURCE");
                foreach (var (name, language) in templates.All)
                {
                    table.Add(name, language, templates.SourceOf(name, language));
                }

                output.Write(table.ToString());
                output.WriteLine($"{templates.All.Count} template(s) parsed and rendered with sample data: no errors.");
                return 0;
            }

            case "render":
            {
                var a = CliArgs.Parse("templates render", rest, ["ticket", "language"], []);
                a.NoMorePositionals(1);
                var name = a.Positional(0, "the template name");
                var details = services.GetRequiredService<TicketService>().Get(a.Required("ticket"));
                var workflow = services.GetRequiredService<ReplyWorkflow>();
                var language = a.Optional("language") ?? details.Ticket.Language;
                var lastInbound = details.Messages.LastOrDefault(m => m.Direction == MessageDirection.Inbound);
                var mail = templates.Render(name, language, new TemplateData
                {
                    Ticket = details.Ticket,
                    AgentName = "(agent)",
                    AgentText = "(the agent's text)",
                    MessageFrom = lastInbound?.From,
                    MessageText = lastInbound?.Text,
                    Event = "new",
                    ReplyAddress = workflow.Enabled ? workflow.SignedAddress(details.Ticket.Id) : null,
                });
                output.WriteLine($"Subject: [{details.Ticket.Ref}] {mail.Subject}");
                output.WriteLine();
                output.Write(mail.Text);
                if (mail.Html is { } html)
                {
                    output.WriteLine();
                    output.WriteLine("--- HTML ---");
                    output.WriteLine(html);
                }

                return 0;
            }

            default:
                throw new CliException($"templates: unknown command '{verb}'; use check or render.");
        }
    }

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
