using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>End-to-end intake rate against a bare MailKit fetch of the same mailbox, in the same run.</summary>
internal static class ThroughputRun
{
    /// <summary>Runs the pair (bare fetch, end-to-end intake) several times, each on a fresh mailbox and store, and reports each run and the medians.</summary>
    public static async Task RunAsync(int mails, int runs)
    {
        var results = new List<(double Bare, double Intake)>();
        for (var run = 1; run <= runs; run++)
        {
            var (bare, intake) = await RunOnceAsync(mails);
            results.Add((bare, intake));
            Console.WriteLine($"run {run}: bare MailKit fetch {mails / bare,7:F0} mails/s ({bare:F2} s), end-to-end intake {mails / intake,6:F0} mails/s ({intake:F2} s), ratio {bare / intake:P1}");
        }

        var medianBare = Median(results.Select(r => mails / r.Bare));
        var medianIntake = Median(results.Select(r => mails / r.Intake));
        Console.WriteLine($"median of {runs} runs of {mails} mails: bare fetch {medianBare:F0} mails/s, end-to-end intake {medianIntake:F0} mails/s, ratio {Median(results.Select(r => r.Bare / r.Intake)):P1}");
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<(double Bare, double Intake)> RunOnceAsync(int mails)
    {
        await using var dovecot = await Dovecot.StartAsync();
        for (var i = 0; i < mails; i++)
        {
            dovecot.Deliver(BenchMail.Raw(i));
        }

        var bare = await BareFetchAsync(dovecot.Port, mails, parse: false);
        var data = Directory.CreateTempSubdirectory("tg-bench-data-").FullName;
        try
        {
            using var host = IntakeHost.Build(dovecot, data);
            var clock = Stopwatch.StartNew();
            await host.StartAsync();
            // Done when every mail is committed and moved out of INBOX (bounded: 10 minutes).
            while ((dovecot.Count("INBOX") > 0 || IntakeHost.Count(data, "SELECT COUNT(*) FROM mail_inbound") < mails) && clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(20);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            await host.StopAsync();
            var tickets = IntakeHost.Count(data, "SELECT COUNT(*) FROM tickets");
            var messages = IntakeHost.Count(data, "SELECT COUNT(*) FROM messages WHERE direction = 'inbound'");
            var expectedTickets = mails - (mails / 5);
            if (tickets != expectedTickets || messages != mails || dovecot.Count("Processed") != mails)
            {
                throw new InvalidOperationException($"wrong result: {tickets} tickets (expected {expectedTickets}), {messages} messages, {dovecot.Count("Processed")} moved");
            }

            return (bare, seconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Seconds to fetch every mail of INBOX with a bare MailKit client, and with <paramref name="parse"/> also to load each with MimeKit.</summary>
    public static async Task<double> BareFetchAsync(int port, int expected, bool parse)
    {
        using var client = new ImapClient();
        var clock = Stopwatch.StartNew();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.AuthenticateAsync("support", "secret");
        var inbox = (ImapFolder)client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await inbox.SearchAsync(SearchQuery.All);
        long bytes = 0;
        var count = 0;
        foreach (var chunk in uids.Chunk(500))
        {
            await inbox.GetStreamsAsync(chunk, (_, _, _, stream, cancel) =>
            {
                var buffer = new byte[stream.Length];
                stream.ReadExactly(buffer);
                bytes += buffer.Length;
                if (parse)
                {
                    using var body = new MemoryStream(buffer, writable: false);
                    _ = MimeMessage.Load(body, cancel);
                }

                count++;
                return Task.CompletedTask;
            });
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await client.DisconnectAsync(true);
        return count == expected ? seconds : throw new InvalidOperationException($"bare fetch saw {count} of {expected} mails");
    }
}
