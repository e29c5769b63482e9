using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// The one command tree of <c>ticketgw</c>: every command, option and help text, and how a
/// parse error becomes one line on stderr (exit 2).
/// </summary>
internal static class CliTree
{
    /// <summary>An extra JSON configuration file, for the server and every command.</summary>
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "an extra JSON configuration file, read after appsettings.json and before environment variables",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>Who the command acts as: an agent's login, recorded in the history (<c>TICKETGW_AS</c> when not given).</summary>
    public static readonly Option<string?> As = new("--as")
    {
        Description = "act as this agent (login), recorded in the history; default TICKETGW_AS, else cli:<os user>",
        HelpName = "LOGIN",
        Recursive = true,
    };

    /// <summary>
    /// No response files: an argument such as a ticket text may start with '@' (<c>@张三 请处理</c>)
    /// and must reach the command as typed.
    /// </summary>
    public static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    public static RootCommand Build()
    {
        var root = new RootCommand("""
            ticketgw: the TicketGateway complaint and support desk. With no command it runs the gateway (serve).
            Times print as ISO 8601 with the offset of Sla:TimeZone; a time given without an offset is read in that zone.
            Exit codes: 0 done, 1 refused (unknown ticket, state does not allow it), 2 wrong input or configuration.
            """);
        root.Add(Config);
        root.Add(As);
        ServeCommand.AddTo(root);
        root.Add(InitCommand.Create());
        root.Add(TicketCommands.Create());
        root.Add(OperatorCommands.Create());
        root.Add(SlaCommands.CreateSla());
        root.Add(SlaCommands.CreateCalendar());
        root.Add(OutboxCommands.Create());
        root.Add(TemplateCommands.Create());
        root.Add(ReplyCommands.Create());
        root.Add(KpiCommands.Create());
        root.Add(CallCommands.Create());
        root.Add(DutyCommands.Create());
        root.Add(AlertCommands.Create());
        root.Add(QuarantineCommands.Create());
        root.Add(StorageCommands.Create());
        foreach (var command in BackupCommands.Create())
        {
            root.Add(command);
        }

        root.Add(AgentCommands.Create());
        root.Add(InspectCommands.Create());
        var help = new Command("help", "print this help");
        help.SetAction(parse => root.Parse(["--help"], Parser).Invoke(parse.InvocationConfiguration));
        root.Add(help);
        return root;
    }

    /// <summary>Throws the first parse error as one line naming the command and the token; help is never an error.</summary>
    public static void ThrowIfInvalid(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        // Only serve (and the root, which serves) takes unknown tokens: its settings. The parser reports
        // no error for the others' once the root accepts them, so they are checked here.
        var unmatched = command.TreatUnmatchedTokensAsErrors ? parse.UnmatchedTokens : [];
        if ((parse.Errors.Count == 0 && unmatched.Count == 0) || parse.Action is HelpAction)
        {
            return;
        }

        var path = CliSymbols.CommandPath(parse) is { Length: > 0 } p ? p : "ticketgw";
        var hint = path == "ticketgw" ? "run 'ticketgw --help'" : $"run 'ticketgw {path} --help'";
        if (unmatched.Count > 0)
        {
            var token = unmatched[0];
            throw new CliException(token.StartsWith('-')
                ? $"{path}: unknown option {token}; {hint} for its options."
                : command.Subcommands.Count > 0
                    ? $"{path}: unknown command '{token}'; {hint}."
                    : $"{path}: unexpected argument '{token}'; {hint}.");
        }

        var error = parse.Errors[0];
        throw new CliException(error.SymbolResult switch
        {
            ArgumentResult { Argument: var a } r when r.Tokens.Count < a.Arity.MinimumNumberOfValues => $"{path}: missing {a.Description}.",
            CommandResult when command.Subcommands.Count > 0 && command.Action is null => $"{path}: missing command; {hint}.",
            _ => $"{path}: {error.Message} ({hint}).",
        });
    }
}
