using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;
using TicketGateway.MailIntake.Tests.Support;

namespace TicketGateway.MailIntake.Tests.Functional.Imap;

/// <summary>No mail lost, none taken twice, whatever happens to the process while it works.</summary>
public abstract class CrashRecoveryTests(StoreKind engine, ITestOutputHelper output)
{
    private const int Customers = 400;
    private const int Replies = 80;
    private const int Redeliveries = 20;
    private const int Total = Customers + Replies + Redeliveries;

    [Fact]
    public async Task Serve_500MailsAndKillDashNineWhileWorking_EndsWithExactlyTheExpectedTicketsAndMessages()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        var originals = new List<byte[]>();
        for (var i = 0; i < Customers; i++)
        {
            var raw = Fixtures.Mail($"c{i}@example.cn", $"咨询 {i}", $"第 {i} 位客户的问题", $"m{i}@example.cn");
            originals.Add(raw);
            dovecot.Deliver(raw);
        }

        for (var i = 0; i < Replies; i++)
        {
            dovecot.Deliver(Fixtures.Mail($"c{i}@example.cn", $"Re: 咨询 {i}", $"第 {i} 位客户的补充", $"r{i}@example.cn", inReplyTo: $"m{i}@example.cn"));
        }

        for (var i = 0; i < Redeliveries; i++)
        {
            // The same mail delivered again (a relay's retry): new UID, same Message-ID and body.
            dovecot.Deliver([.. "Received: from relay2 by mx\r\n"u8.ToArray(), .. originals[Customers - 1 - i]]);
        }

        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        // One mail per batch (fetch, commit, move): a crash point between every step of every mail.
        var environment = dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1)).With(db);
        environment["Mail__Imap__FetchBatch"] = "1";
        var killedMidway = 0;
        for (var kill = 0; kill < 4; kill++)
        {
            var before = db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound");
            // Started without waiting for "listening", and watched from the first moment, so the kill
            // comes right after the first commit of this run, with most of the mail still to do.
            var served = new StringBuilder();
            using var gateway = Start(dir.Path, environment, served);
            long progressed;
            try
            {
                progressed = await Eventually.WaitAsync(
                    () => db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound"),
                    n => n > Math.Max(before, 0) || n == Total,
                    TimeSpan.FromSeconds(30),
                    $"progress after start {kill + 1}");
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message} What ticketgw serve wrote:\n{Text(served)}", ex);
            }

            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
            killedMidway += progressed < Total ? 1 : 0;
            output.WriteLine($"kill -9 number {kill + 1}: {progressed} of {Total} mails taken at the kill");
        }

        await using var last = await GatewayProcess.StartAsync(dir.Path, environment);
        await Eventually.WaitAsync(() => dovecot.Count("INBOX"), n => n == 0, TimeSpan.FromSeconds(60), "INBOX emptied");

        Assert.True(killedMidway >= 1, "no kill landed while mail was still being taken");
        Assert.Equal(Total, db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound"));
        Assert.Equal(Customers, db.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));
        Assert.Equal(Customers, db.CountOrMinusOne("SELECT COUNT(DISTINCT customer_email) FROM tickets"));
        Assert.Equal(Customers + Replies, db.CountOrMinusOne("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'"));
        Assert.Equal(Customers + Replies, db.CountOrMinusOne("SELECT COUNT(DISTINCT message_id) FROM messages WHERE direction = 'inbound'"));
        // Each new ticket was acknowledged once, whatever the kills: the acknowledgement commits with its mail.
        Assert.Equal(Customers, db.CountOrMinusOne("SELECT COUNT(*) FROM outbox WHERE purpose = 'acknowledgement'"));
        Assert.Equal(Customers, db.CountOrMinusOne("SELECT COUNT(DISTINCT ticket_id) FROM outbox WHERE purpose = 'acknowledgement'"));
        Assert.Equal(Redeliveries, db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound WHERE outcome = 'duplicate'"));
        Assert.Equal(0, db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound WHERE outcome = 'quarantined'"));
        // Every reply sits on its customer's ticket.
        Assert.Equal(Replies, db.CountOrMinusOne("""
            SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
            WHERE m.message_id LIKE 'r%' AND t.customer_email = 'c' || SUBSTR(m.message_id, 2)
            """));
        Assert.True(dovecot.Count("Processed") >= Total, $"Processed holds {dovecot.Count("Processed").ToString(CultureInfo.InvariantCulture)} mails");
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    // The process's output is kept (at most its last 64 KiB), for the failure message.
    private static Process Start(string workDir, Dictionary<string, string> environment, StringBuilder output)
    {
        // Started as every test starts it, with the web console off: with it on at its default port (127.0.0.1:5081),
        // this class on the other engine, running in parallel, made serve exit at start-up ("address already in use")
        // and the test wait in vain for progress.
        var env = new Dictionary<string, string>(environment);
        env.TryAdd("Kestrel__Endpoints__Grpc__Url", "http://127.0.0.1:0");
        var process = Process.Start(GatewayProcess.StartInfo(workDir, env, ["serve"]))!;
        // Drain the output so the child never blocks on a full pipe.
        DataReceivedEventHandler keep = (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (output.Length > 64 * 1024)
                {
                    output.Remove(0, output.Length - (48 * 1024));
                }
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

public sealed class CrashRecoveryTestsOnSqlite(ITestOutputHelper output) : CrashRecoveryTests(StoreKind.Sqlite, output);

public sealed class CrashRecoveryTestsOnPostgres(ITestOutputHelper output) : CrashRecoveryTests(StoreKind.Postgres, output);
