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
        Add(command, new Command("list", "every reply template: name, languages, source (shipped or template folder) and use") { JsonOption }, (c, p) => c.List(p));
        Add(command, new Command("check", "parse and render every reply template with sample data; an error exits 2 naming file, line and column"), (c, p) => c.Check(p));
        Add(command, new Command("render", "print what the ticket's customer would receive") { Name, Ticket, Language }, (c, p) => c.Render(p));
        return command;
    }

    private static void Add(Command parent, Command verb, Func<TemplateCommands, ParseResult, int> action)
    {
        CliSession.SetAction(verb, (p, s) => action(new TemplateCommands(s.Services, s.Output), p));
        parent.Add(verb);
    }

    // Building the templates parses and renders every one with sample data; an error throws
    // InvalidDataException, which the program reports with file, line and column (exit 2).
    private ReplyTemplates Templates => services.GetRequiredService<ReplyTemplates>();

    private int Check(ParseResult a)
    {
        var templates = Templates;
        var table = new TextTable("NAME", "LANGUAGE", "SOURCE");
        foreach (var (name, language) in templates.All)
        {
            table.Add(name, language, templates.SourceOf(name, language));
        }

        output.Write(table.ToString());
        output.WriteLine($"{templates.All.Count} template(s) parsed and rendered with sample data: no errors.");
        return 0;
    }

    private int Render(ParseResult a)
    {
        var templates = Templates;
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

    private int List(ParseResult a)
    {
        var templates = Templates;
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
}
