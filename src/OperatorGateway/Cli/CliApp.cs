using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.MailIntake;
using TicketGateway.MailIntake.Intake;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Calls;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// Runs one CLI command against the same configuration and store as the server. SQLite's WAL
/// and busy timeout let it read and write while the server runs.
/// </summary>
internal static class CliApp
{
    public static readonly string[] Commands = ["init", "tickets", "sla", "calendar", "help", "outbox", "templates", "reply", "kpi", "calls", "duty", "operator", "quarantine"];

    public const string Usage = """
        ticketgw: the TicketGateway complaint and support desk.

        Usage: ticketgw [--config FILE] [COMMAND]

          serve [Key=value|--Key=value]...  run the gateway (the default with no command); creates the store if missing
          init                           create the store (Storage:ConnectionString) if missing; every other command needs it
          tickets create --channel email|operator|phone --kind inquiry|fee|report|complaint
                         [--level 1-4] [--customer-name N] [--customer-email E] [--customer-phone P]
                         --subject S --text T [--language zh-CN|en] [--accepted ISO8601] [--json]
          tickets list [--status S] [--kind K] [--channel C] [--due-within DURATION] [--limit N] [--json]
          tickets show REF [--json]
          tickets resolve REF --text T [--json]
          tickets level REF N [--json]
          tickets status REF open|pending|closed [--json]
          operator updates REF [--json]   the updates queued for the operator, and their delivery
          operator alerts [--json]        alerts about operator complaints (urges, stuck updates) and their delivery
          operator refund REF FEN         record the refund (in fen) of a fee dispute; sent with the resolution
          sla due --level N --accepted ISO8601
          calendar show YEAR [--json]
          outbox list [--status queued|sending|sent|failed] [--limit N] [--json]
          outbox retry ID [--json]       send a failed (or waiting) mail again, same Message-ID
          templates list [--json]        every reply template: name, languages, source (shipped or template folder)
          templates check                parse and render every reply template with sample data
          templates render NAME --ticket REF [--language zh-CN|en]
          reply REF (--text T | --template NAME) [--resolve] [--json]
          kpi --month YYYY-MM [--json|--csv] [--html FILE]
          kpi --from YYYY-MM --to YYYY-MM [--json|--csv]
          calls import FILE [--strict]
          calls list --month YYYY-MM [--json]
          duty now [--json]
          quarantine list [--all] [--json]
          quarantine show ID [--raw] [--json]
          quarantine retry ID [--charset NAME] [--json]
          quarantine discard ID
          help

        Exit codes: 0 done, 1 refused (unknown ticket, state does not allow it), 2 wrong input or configuration.
        """;

    public static async Task<int> RunAsync(string[] args, string? configFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args[0] == "help")
        {
            output.Write(Usage);
            return 0;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        GatewayConfiguration.Apply(builder.Configuration, builder.Environment.EnvironmentName, configFile, []);
        builder.Logging.ClearProviders();
        // Only warnings reach the agent, on stderr, so stdout stays clean for --json.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Only init creates a store: any other command run from the wrong folder must say so, not report an empty desk.
        builder.AddTickets(createStore: args[0] == "init");
        // Agents resolve operator complaints here too: the observer queues the operator's update.
        builder.AddOperatorUpdates();
        builder.AddMailIntake();
        var host = builder.Build();
        GatewayProgram.ValidateOptions(host.Services);

        var time = new TimeFormat(host.Services.GetRequiredService<DeadlineCalculator>().Zone);
        var rest = args.Skip(2).ToArray();
        var verb = args.Length > 1 ? args[1] : args[0] is "kpi" or "init" ? "" : throw new CliException($"{args[0]}: missing command; run 'ticketgw help'.");
        try
        {
            switch (args[0])
            {
                case "init":
                    return Init(host.Services, args[1..], output);
                case "tickets":
                    return await new TicketCommands(host.Services.GetRequiredService<TicketService>(), time, output).RunAsync(verb, rest, cancellationToken);
                case "operator":
                    return await new OperatorCommands(host.Services.GetRequiredService<TicketService>(), host.Services.GetRequiredService<AlertStore>(), time, host.Services.GetRequiredService<TimeProvider>(), output).RunAsync(verb, rest, cancellationToken);
                case "sla" when verb == "due":
                    return new SlaCommands(host.Services.GetRequiredService<DeadlineCalculator>(), time, output, error).Due(rest);
                case "quarantine":
                    return await new QuarantineCommands(host.Services.GetRequiredService<QuarantineService>(), time, output).RunAsync(verb, rest, cancellationToken);
                case "calendar" when verb == "show":
                    return new SlaCommands(host.Services.GetRequiredService<DeadlineCalculator>(), time, output, error).ShowCalendar(rest);
                case "outbox":
                    return await new OutboxCommands(host.Services.GetRequiredService<Tickets.Replies.Outbox>(), time, output).RunAsync(verb, rest, cancellationToken);
                case "reply":
                    // reply REF ...: the "verb" is the ticket reference.
                    return await new ReplyCommands(host.Services, time, output).ReplyAsync(args[1..], cancellationToken);
                case "templates":
                    return new TemplateCommands(host.Services, output).Run(verb, rest);
                case "kpi":
                    return new KpiCommands(host.Services.GetRequiredService<KpiCalculator>(), time, output).Run(args[1..]);
                case "calls":
                    return await new CallCommands(host.Services.GetRequiredService<CallStore>(), time, output, error).RunAsync(verb, rest, cancellationToken);
                case "duty":
                    return new DutyCommands(host.Services.GetRequiredService<DutyRoster>(), host.Services.GetRequiredService<TimeProvider>(), time, output).Run(verb, rest);
                default:
                    throw new CliException($"{args[0]}: unknown command '{verb}'; run 'ticketgw help'.");
            }
        }
        finally
        {
            // The container closes the store if a command opened it (it is IAsyncDisposable only); a
            // command that needs none (sla due) never opens, nor asks for, one.
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    private static int Init(IServiceProvider services, string[] args, TextWriter output)
    {
        CliArgs.Parse("init", args, [], []).NoMorePositionals(0);
        var path = TicketDatabase.FilePath(services.GetRequiredService<IOptions<StorageOptions>>().Value);
        var existed = path is not null && File.Exists(path);
        var database = services.GetRequiredService<TicketDatabase>();
        output.WriteLine(existed
            ? $"The ticket store {database.DataSource} already exists; its schema is up to date."
            : $"Created the ticket store {database.DataSource}.");
        return 0;
    }
}
