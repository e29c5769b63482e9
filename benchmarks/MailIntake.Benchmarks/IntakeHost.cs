using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>The intake exactly as <c>ticketgw serve</c> composes it (AddTickets + AddMailIntake), on a fresh store.</summary>
internal static class IntakeHost
{
    public static IHost Build(Dovecot dovecot, string dataDir, IDictionary<string, string?>? extra = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(dataDir, "ticketgw.db")}",
            ["Mail:SupportAddress"] = "support@example.com",
            ["Mail:ReplyTokenSecret"] = "benchmark-reply-token-secret",
            ["Mail:Imap:Host"] = "127.0.0.1",
            ["Mail:Imap:Port"] = dovecot.Port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Imap:Security"] = "None",
            ["Mail:Imap:Username"] = "support",
            ["Mail:Imap:Password"] = "secret",
            ["Mail:Imap:PollInterval"] = "00:00:01",
        };
        if (Environment.GetEnvironmentVariable("BENCH_FETCH_BATCH") is { Length: > 0 } batch)
        {
            settings["Mail:Imap:FetchBatch"] = batch;
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("BENCH_LOG") is "1")
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
        }
        builder.AddTickets();
        builder.AddMailIntake();
        return builder.Build();
    }

    public static long Count(string dataDir, string sql)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(dataDir, "ticketgw.db")};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
