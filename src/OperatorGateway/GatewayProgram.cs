using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TicketGateway.MailIntake;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.OperatorGateway.Operations;
using TicketGateway.OperatorGateway.Web;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway;

/// <summary>Chooses between the server and a CLI command, and turns every expected failure into one line on stderr.</summary>
internal static partial class GatewayProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            StartupTrace.Mark("main");
            var parse = CliTree.Build().Parse(args, CliTree.Parser);
            CliTree.ThrowIfInvalid(parse);
            StartupTrace.Mark("command line parsed");
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                // Every failure is turned into one line below; serve's host handles SIGINT and SIGTERM itself.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception ex) when (ExitCode(ex) is { } code)
        {
            // Engines add detail lines (PostgreSQL's POSITION, HINT): the first line says what went wrong.
            return Fail(Describe(ex).Split('\n', 2)[0].TrimEnd(), code);
        }
    }

    /// <summary>The exit code of an expected failure, by its type: 1 refused, 2 wrong input or configuration.</summary>
    private static int? ExitCode(Exception ex) => ex switch
    {
        TicketException t => t.Error == TicketError.Invalid ? 2 : 1,
        CliException or StartupException or StoreException or System.Data.Common.DbException or OptionsValidationException or InvalidDataException => 2,
        AggregateException a when a.InnerExceptions.All(e => e is OptionsValidationException) => 2,
        _ => null,
    };

    private static string Describe(Exception ex) => ex switch
    {
        // The store failed after it opened (e.g. it became read-only): one line, not a crash.
        System.Data.Common.DbException => "The ticket store (Storage:ConnectionString) refused the operation: " + ex.Message,
        OptionsValidationException o => "Configuration error: " + Describe(o),
        // Several sections are wrong at once: name every key, still on one line.
        AggregateException a => "Configuration error: " + string.Join(" ", a.InnerExceptions.Cast<OptionsValidationException>().Select(Describe)),
        InvalidDataException => "Configuration error: " + ex.Message,
        _ => ex.Message,
    };

    /// <summary>The server with its configuration validated, not yet started and its store not yet opened.</summary>
    public static WebApplication BuildServer(string[] settings, string? configFile)
    {
        // GatewayConfiguration replaces the default configuration sources, but their file watch on the
        // content root (the working folder, where data/ holds the SQLite store) would stay and wake a
        // thread for every page the store writes.
        var builder = WebApplication.CreateBuilder([.. settings, "--hostBuilder:reloadConfigOnChange=false"]);
        // A failed start is reported as one line (StartupFailure); the host's own report of it, and of the
        // background services it then cancels, would add stack traces. Once started, every line is logged.
        var started = new StrongBox<bool>();
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Information && (level < LogLevel.Error || started.Value));
        GatewayConfiguration.Apply(builder.Configuration, builder.Environment.EnvironmentName, configFile, settings);
        builder.AddTickets();
        builder.AddMailIntake();
        builder.AddOperatorGateway();
        builder.AddOperations(serve: true);
        builder.AddWebConsole();
        MaskingLoggerProvider.WrapAll(builder.Services, builder.Configuration);
        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => started.Value = true);
        ValidateOptions(app.Services);
        return app;
    }

    /// <summary>
    /// Validates every options class registered with ValidateOnStart now, before anything else runs,
    /// so a wrong setting stops the process with its key named; the CLI's host is never started, so
    /// it would not validate them otherwise. Then loads the calendar files.
    /// </summary>
    public static void ValidateOptions(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            StartupTrace.Mark("options validated");
        }
        catch (InvalidOperationException ex) when (ex.InnerException is FormatException or ArgumentException or OverflowException)
        {
            // The binder could not convert a value; its message names the key ("... at 'Sla:FirstReply:Fee' to type 'System.TimeSpan'").
            throw new StartupException("Configuration error: " + ex.Message, ex);
        }

        _ = services.GetRequiredService<WorkingCalendar>();
    }

    private static string Describe(OptionsValidationException ex) =>
        string.Join(" ", ex.Failures.Select(f => NameKey(ex.OptionsType, f)));

    // The validators report "Member: The field Type.Path.To.Member must ..." (or "Member: message");
    // people configure "Section:Path:To:Member", so name that.
    private static string NameKey(Type optionsType, string failure)
    {
        var section = optionsType.GetField("Section")?.GetValue(null) as string;
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        if (section is null || colon <= 0 || failure[..colon].Contains(' ', StringComparison.Ordinal))
        {
            return failure;
        }

        var path = failure[..colon];
        var message = failure[(colon + 2)..].TrimEnd('.');
        if (FieldMessage().Match(message) is { Success: true } m)
        {
            path = m.Groups[1].Value;
            message = m.Groups[2].Value;
        }

        return $"{section}:{path.Replace('.', ':')} {message}.";
    }

    [GeneratedRegex(@"^The field \w+\.([\w.]+) (.*)$")]
    private static partial Regex FieldMessage();

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("ticketgw: " + message);
        return code;
    }
}
