using System.CommandLine;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw templates list|check|render</c>: the reply templates, where each comes from, and what it renders.</summary>
internal sealed class TemplateCommands(IServiceProvider services, TextWriter output)
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Argument<string> Name = CliSymbols.Argument("NAME", "the template name");
    private static readonly Option<string?> Ticket = CliSymbols.Value("--ticket", "REF", "the ticket whose customer would receive it (required)");
    private static readonly Option<string?> Language = CliSymbols.Value("--language", "zh-CN|en", "the language (default the ticket's)");

    public static Command Create()
    {
        var command = new Command("templates", "the reply templates: list, check, render");
        Add(command, new Command("list", "every reply template: name, languages, source (shipped or template folder) and use") { JsonOption });
        Add(command, new Command("check", "parse and render every reply template with sample data; an error exits 2 naming file, line and column"));
        Add(command, new Command("render", "print what the ticket's customer would receive") { Name, Ticket, Language });
        return command;
    }

    private static void Add(Command parent, Command verb)
    {
        CliSession.SetAction(verb, (p, s) => new TemplateCommands(s.Services, s.Output).Run(verb.Name, p));
        parent.Add(verb);
    }

    private int Run(string verb, ParseResult a)
    {
        // Building the templates parses and renders every one with sample data; an error throws
        // InvalidDataException, which the program reports with file, line and column (exit 2).
        var templates = services.GetRequiredService<ReplyTemplates>();
        switch (verb)
        {
            case "check":
            {
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
                var name = a.GetValue(Name)!;
                var details = services.GetRequiredService<TicketService>().Get(a.Required(Ticket));
                var workflow = services.GetRequiredService<ReplyWorkflow>();
                var language = a.GetValue(Language) ?? details.Ticket.Language;
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
                var rows = templates.All.GroupBy(t => t.Name, StringComparer.Ordinal).Select(g => (
                    Name: g.Key,
                    Languages: g.Select(t => t.Language).ToList(),
                    Folder: g.Any(t => templates.FromFolder(t.Name, t.Language)),
                    Automatic: TemplateNames.Required.Contains(g.Key))).ToList();
                if (a.GetValue(JsonOption))
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
