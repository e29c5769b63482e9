using System.CommandLine;
using Microsoft.Extensions.Hosting;
using TicketGateway.MailIntake;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.OperatorGateway.Operations;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// What one CLI command runs against: the same configuration and store as the server (SQLite's WAL
/// and busy timeout let it read and write while the server runs), stdout, stderr and Ctrl+C.
/// </summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly IHost _host;

    private CliSession(IHost host, TextWriter output, TextWriter error)
    {
        _host = host;
        Output = output;
        Error = error;
        Time = new TimeFormat(host.Services.GetRequiredService<DeadlineCalculator>().Zone);
    }

    public IServiceProvider Services => _host.Services;

    public TimeFormat Time { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>
    /// Makes <paramref name="command"/> run <paramref name="body"/> in a session (only <c>init</c> creates the store).
    /// With <paramref name="warmStore"/> a PostgreSQL store's first connection opens while the session starts;
    /// a command that must find the database without connections (restore) or needs no store turns it off.
    /// </summary>
    public static void SetAction(Command command, Func<ParseResult, CliSession, CancellationToken, Task<int>> body, bool createStore = false, bool warmStore = true) =>
        command.SetAction(async (parse, _) =>
        {
            // The parser's own termination handling is off (serve's host has its own); Ctrl+C cancels the command.
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cts.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                await using var session = await OpenAsync(parse.GetValue(CliTree.Config), createStore, warmStore && !createStore, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
                CliActor.Resolve(parse.GetValue(CliTree.As), session);
                StartupTrace.Mark("actor resolved");
                var code = await body(parse, session, cts.Token);
                StartupTrace.Mark("command done");
                return code;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });

    /// <summary>A command that needs no store nor anything from it.</summary>
    public static void SetAction(Command command, Func<ParseResult, CliSession, int> body, bool createStore = false, bool warmStore = true) =>
        SetAction(command, (parse, session, _) => Task.FromResult(body(parse, session)), createStore, warmStore);

    private static async Task<CliSession> OpenAsync(string? configFile, bool createStore, bool warmStore, TextWriter output, TextWriter error)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        StartupTrace.Mark("host builder created");
        GatewayConfiguration.Apply(builder.Configuration, builder.Environment.EnvironmentName, configFile, []);
        StartupTrace.Mark("configuration read");
        // A PostgreSQL store's connection opens on the other core while the host is built (not validated yet:
        // settings that are wrong are the store's to report, as without this).
        if (warmStore && WarmUpSettings(builder.Configuration) is { } storage)
        {
            TicketDatabase.WarmUp(storage);
        }

        builder.Logging.ClearProviders();
        // Only warnings reach the agent, on stderr, so stdout stays clean for --json.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        MaskingLoggerProvider.WrapAll(builder.Services, builder.Configuration);
        // Only init creates a store: any other command run from the wrong folder must say so, not report an empty desk.
        builder.AddTickets(createStore: createStore);
        // Agents resolve operator complaints here too: the observer queues the operator's update.
        builder.AddOperatorUpdates();
        builder.AddMailIntake();
        builder.AddOperations(serve: false);
        StartupTrace.Mark("services registered");
        var host = builder.Build();
        StartupTrace.Mark("host built");
        try
        {
            GatewayProgram.ValidateOptions(host.Services);
            StartupTrace.Mark("working calendar loaded");
            return new CliSession(host, output, error);
        }
        catch
        {
            TicketDatabase.ForgetWarmUp();
            await ((IAsyncDisposable)host).DisposeAsync();
            throw;
        }
    }

    private static StorageOptions? WarmUpSettings(ConfigurationManager configuration)
    {
        try
        {
            return configuration.GetSection(StorageOptions.Section).Get<StorageOptions>();
        }
        catch (InvalidOperationException)
        {
            // A value of the wrong type: options validation says so, in its own words, in a moment.
            return null;
        }
    }

    // The container closes the store if a command opened it (it is IAsyncDisposable only); a
    // command that needs none (sla due) never opens, nor asks for, one.
    public ValueTask DisposeAsync()
    {
        TicketDatabase.ForgetWarmUp();
        return ((IAsyncDisposable)_host).DisposeAsync();
    }
}
