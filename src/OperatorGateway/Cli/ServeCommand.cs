using System.CommandLine;
using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.OperatorGateway.Operations;
using TicketGateway.OperatorGateway.Web;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw serve</c> (and <c>ticketgw</c> with no command): run the gateway until stopped.</summary>
internal static class ServeCommand
{
    public static void AddTo(RootCommand root)
    {
        var serve = new Command("serve", "run the gateway (the default with no command); creates the store if missing. Settings follow as Key=value, --Key=value or --Key value, e.g. 'ticketgw serve Storage:MaxBatch=64'")
        {
            // The settings are not options of ours: the configuration provider reads whatever follows.
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((parse, _) => RunAsync([.. parse.UnmatchedTokens], parse.GetValue(CliTree.Config)));
        root.Add(serve);
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, _) => RunAsync([.. parse.UnmatchedTokens], parse.GetValue(CliTree.Config)));
    }

    private static async Task<int> RunAsync(string[] settings, string? configFile)
    {
        CheckSettings(settings);
        await using var app = GatewayProgram.BuildServer(settings, configFile);
        // One gateway per store, for the life of this process (released by the OS however it ends).
        using var serveLock = ServeLock.Acquire(app.Services.GetRequiredService<IOptions<StorageOptions>>().Value);
        // Open the store (and apply migrations) before taking traffic, so a broken database stops start-up.
        _ = app.Services.GetRequiredService<TicketDatabase>();
        // Build the reply side now (templates, agents, mail settings), so an error stops start-up as one
        // line: a template error names file, line and column.
        _ = app.Services.GetRequiredService<Tickets.Replies.ReplyWorkflow>();
        app.MapOperatorGateway();
        app.MapWebConsole();
        app.MapOperationsMetrics();
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (StartupFailure.Describe(ex, app.Configuration) is { } line)
        {
            await StopStartedAsync(app);
            throw new StartupException(line, ex);
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>
    /// A failed start leaves the services started before the failure running (the host does not stop
    /// them); stop them before the store they use is disposed with the host, or their work in flight
    /// fails on a disposed store and prints its stack trace under the one line of the failure.
    /// </summary>
    private static async Task StopStartedAsync(WebApplication app)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await app.StopAsync(limit.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException)
        {
            // Stopping is best effort here: the start already failed, and that failure is what to report.
        }
    }

    /// <summary>
    /// The settings after <c>serve</c>: <c>--Key=value</c>, <c>--Key value</c> or <c>Key=value</c>, as the
    /// command-line configuration provider reads them; anything else is a typo, not a silent no-op.
    /// </summary>
    private static void CheckSettings(string[] settings)
    {
        for (var i = 0; i < settings.Length; i++)
        {
            var a = settings[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                i += a.Contains('=', StringComparison.Ordinal) ? 0 : 1;
            }
            else if (a.IndexOf('=', StringComparison.Ordinal) <= 0 || a.StartsWith('-'))
            {
                throw new CliException(i == 0
                    ? $"'{a}' is not a command; run 'ticketgw --help'."
                    : $"'{a}' is not a setting; give settings to serve as Key=value or --Key=value.");
            }
        }
    }
}
