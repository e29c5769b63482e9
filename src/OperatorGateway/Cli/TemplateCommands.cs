using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw templates list|check|render</c>: the reply templates, where each comes from, and what it renders.</summary>
internal sealed class TemplateCommands(IServiceProvider services, TextWriter output)
{
    public int Run(string verb, IReadOnlyList<string> rest)
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

            case "list":
            {
                var a = CliArgs.Parse("templates list", rest, [], ["json"]);
                a.NoMorePositionals(0);
                var rows = templates.All.GroupBy(t => t.Name, StringComparer.Ordinal).Select(g => (
                    Name: g.Key,
                    Languages: g.Select(t => t.Language).ToList(),
                    Folder: g.Any(t => templates.FromFolder(t.Name, t.Language)),
                    Automatic: TemplateNames.Required.Contains(g.Key))).ToList();
                if (a.Flag("json"))
                {
                    output.WriteLine(TicketJson.Write(new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
                    {
                        ["name"] = r.Name,
                        ["languages"] = new JsonArray([.. r.Languages.Select(l => (JsonNode)l)]),
                        ["source"] = r.Folder ? "folder" : "shipped",
                        ["use"] = r.Automatic ? "automatic" : "canned",
                    })])));
                    return 0;
                }

                var table = new TextTable("NAME", "LANGUAGES", "SOURCE", "USE");
                foreach (var r in rows)
                {
                    table.Add(r.Name, string.Join(",", r.Languages), r.Folder ? "template folder" : "shipped", r.Automatic ? "automatic" : "canned (#template NAME)");
                }

                output.Write(table.ToString());
                output.WriteLine($"{rows.Count} template(s)" + (templates.Folder is { } folder ? $"; template folder {folder}." : "; no template folder (Replies:TemplateFolder)."));
                return 0;
            }

            default:
                throw new CliException($"templates: unknown command '{verb}'; use list, check or render.");
        }
    }
}
