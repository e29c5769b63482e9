using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TicketGateway.MailIntake;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.OperatorGateway.Hosting;
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
            var (configFile, rest) = TakeConfigOption(args);
            if (rest.Length > 0 && CliApp.Commands.Contains(rest[0]))
            {
                using var cts = new CancellationTokenSource();
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    cts.Cancel();
                };
                return await CliApp.RunAsync(rest, configFile, Console.Out, Console.Error, cts.Token);
            }

            if (rest.Length > 0 && rest[0] == "serve")
            {
                rest = rest[1..];
            }

            CheckSettings(rest);
            await ServeAsync(rest, configFile);
            return 0;
        }
        catch (CliException ex)
        {
            return Fail(ex.Message, 2);
        }
        catch (StoreException ex)
        {
            return Fail(ex.Message, 2);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            // The store failed after it opened (e.g. it became read-only): one line, not a crash.
            return Fail("The ticket store (Storage:ConnectionString) refused the operation: " + ex.Message, 2);
        }
        catch (TicketException ex)
        {
            return Fail(ex.Message, ex.Error == TicketError.Invalid ? 2 : 1);
        }
        catch (OptionsValidationException ex)
        {
            return Fail("Configuration error: " + Describe(ex), 2);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several sections are wrong at once: name every key, still on one line.
            return Fail("Configuration error: " + string.Join(" ", ex.InnerExceptions.Cast<OptionsValidationException>().Select(Describe)), 2);
        }
        catch (InvalidDataException ex)
        {
            return Fail("Configuration error: " + ex.Message, 2);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder names the key ("... at 'Sla:FirstReply:Fee' to type 'System.TimeSpan'").
            return Fail("Configuration error: " + ex.Message, 2);
        }
    }

    private static async Task ServeAsync(string[] settings, string? configFile)
    {
        var app = BuildServer(settings, configFile);
        // One gateway per store, for the life of this process (released by the OS however it ends).
        using var serveLock = ServeLock.Acquire(app.Services.GetRequiredService<IOptions<StorageOptions>>().Value);
        // Open the store (and apply migrations) before taking traffic, so a broken database stops start-up.
        _ = app.Services.GetRequiredService<TicketDatabase>();
        // Build the reply side now (templates, agents, mail settings), so an error stops start-up as one
        // line: a template error names file, line and column.
        _ = app.Services.GetRequiredService<Tickets.Replies.ReplyWorkflow>();
        app.MapOperatorGateway();
        await app.RunAsync();
    }

    /// <summary>The server with its configuration validated, not yet started and its store not yet opened.</summary>
    public static WebApplication BuildServer(string[] settings, string? configFile)
    {
        var builder = WebApplication.CreateBuilder(settings);
        GatewayConfiguration.Apply(builder.Configuration, builder.Environment.EnvironmentName, configFile, settings);
        builder.AddTickets();
        builder.AddMailIntake();
        builder.AddOperatorGateway();
        var app = builder.Build();
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
        services.GetService<IStartupValidator>()?.Validate();
        _ = services.GetRequiredService<WorkingCalendar>();
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
                    ? $"'{a}' is not a command; run 'ticketgw help'."
                    : $"'{a}' is not a setting; give settings to serve as Key=value or --Key=value.");
            }
        }
    }

    private static (string? ConfigFile, string[] Remaining) TakeConfigOption(string[] args)
    {
        string? configFile = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                configFile = i + 1 < args.Length ? args[++i] : throw new CliException("--config needs a file name.");
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                configFile = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (configFile, [.. rest]);
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
