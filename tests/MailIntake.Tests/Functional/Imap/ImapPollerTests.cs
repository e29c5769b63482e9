using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TicketGateway.MailIntake.Tests.Support;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Tests.Functional.Imap;

/// <summary>The poller as AddMailIntake composes it, in process, against a real Dovecot.</summary>
public abstract class ImapPollerTests(StoreKind engine)
{
    [Fact]
    public async Task Poller_WrongPassword_LogsItWithoutThePasswordAndReportsUnhealthy()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        using var dir = new TempDir();
        var logs = new LogCollector();
        using var host = Build(dovecot, dir.Path, logs, ("Mail:Imap:Password", "not-the-password"));
        await host.StartAsync();
        try
        {
            await Eventually.WaitAsync(() => logs.Lines.Any(l => l.Contains("refused the login of support", StringComparison.Ordinal)), found => found, TimeSpan.FromSeconds(20), "the refused login in the log");
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Unhealthy, report.Entries["mail-intake"].Status);
            Assert.DoesNotContain(logs.Lines, l => l.Contains("not-the-password", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Poller_MailboxWithoutProcessedFolder_CreatesItAndMovesMailThere()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        dovecot.Deliver(Fixtures.Mail("a@example.cn", "咨询", "你好", "f1@example.cn"));
        using var dir = new TempDir();
        var logs = new LogCollector();
        using var host = Build(dovecot, dir.Path, logs);
        await host.StartAsync();
        try
        {
            await Eventually.WaitAsync(() => dovecot.Count("Processed"), n => n == 1, TimeSpan.FromSeconds(20), "mail moved to Processed");
            Assert.Contains(logs.Lines, l => l.Contains("Created mail folder Processed", StringComparison.Ordinal));
            Assert.Single(host.Services.GetRequiredService<TicketService>().List(new TicketQuery(null, null, null, 10)));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Poller_MailRefusedInsideTheBatch_IsQuarantinedAndTheRestOfTheBatchIsKept()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        dovecot.Deliver(Fixtures.Mail("first@example.cn", "咨询 1", "你好", "g1@example.cn"));
        // Parses, but the ticket rules refuse the address (over 254 characters): it fails inside the transaction.
        dovecot.Deliver(Fixtures.Mail(new string('x', 300) + "@example.cn", "咨询 2", "你好", "g2@example.cn"));
        dovecot.Deliver(Fixtures.Mail("third@example.cn", "咨询 3", "你好", "g3@example.cn"));
        using var dir = new TempDir();
        using var host = Build(dovecot, dir.Path, new LogCollector());
        await host.StartAsync();
        try
        {
            // A MOVE shows the copy in its new folder a moment before the original leaves INBOX: wait for all three counts.
            await Eventually.WaitAsync(() => (dovecot.Count("Processed"), dovecot.Count("Quarantine"), dovecot.Count("INBOX")), n => n == (2, 1, 0), TimeSpan.FromSeconds(20), "mails moved");
            var tickets = host.Services.GetRequiredService<TicketService>().List(new TicketQuery(null, null, null, 10));
            Assert.Equal(["first@example.cn", "third@example.cn"], tickets.Select(t => t.Customer.Email).Order());
            var held = Assert.Single(host.Services.GetRequiredService<MailIntake.Intake.QuarantineService>().List());
            Assert.Contains("is not an email address", held.Reason, StringComparison.Ordinal);
            Assert.Equal(("g2@example.cn", "咨询 2"), (held.MessageId, held.Subject));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Poller_MimeNestedDeeperThanMaxMimeDepth_IsQuarantinedWithTheReasonAndMakesNoTicket()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        dovecot.Deliver(Fixtures.Nested(12, "nested-1@example.cn"));
        using var dir = new TempDir();
        using var host = Build(dovecot, dir.Path, new LogCollector(), ("Mail:Intake:MaxMimeDepth", "8"));
        await host.StartAsync();
        try
        {
            await Eventually.WaitAsync(() => (dovecot.Count("Quarantine"), dovecot.Count("INBOX")), n => n == (1, 0), TimeSpan.FromSeconds(20), "mail moved to Quarantine");
            var held = Assert.Single(host.Services.GetRequiredService<MailIntake.Intake.QuarantineService>().List());
            Assert.Contains("Mail:Intake:MaxMimeDepth (8)", held.Reason, StringComparison.Ordinal);
            Assert.Equal(("nested-1@example.cn", "deep@example.cn"), (held.MessageId, held.From));
            Assert.Empty(host.Services.GetRequiredService<TicketService>().List(new TicketQuery(null, null, null, 10)));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Poller_UidValidityChangesAndTakenMailReappears_RecognisesItByMessageIdAndBody()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        var mails = Enumerable.Range(0, 3).Select(i => Fixtures.Mail($"u{i}@example.cn", $"咨询 {i}", "你好", $"uv{i}@example.cn")).ToList();
        mails.ForEach(dovecot.Deliver);
        using var dir = new TempDir();
        var logs = new LogCollector();
        using var host = Build(dovecot, dir.Path, logs);
        await host.StartAsync();
        try
        {
            await Eventually.WaitAsync(() => dovecot.Count("Processed"), n => n == 3, TimeSpan.FromSeconds(20), "first delivery moved");
            await dovecot.StopAsync();
            await dovecot.ResetUidValidityAsync();
            // The same mails come back under new UIDs (a restore from backup), with one new mail.
            mails.ForEach(dovecot.Deliver);
            dovecot.Deliver(Fixtures.Mail("new@example.cn", "咨询 new", "你好", "uv-new@example.cn"));
            await dovecot.StartAgainAsync();

            await Eventually.WaitAsync(() => dovecot.Count("Processed"), n => n == 7, TimeSpan.FromSeconds(30), "second delivery moved");
            Assert.True(logs.Lines.Any(l => l.Contains("UIDVALIDITY of INBOX changed", StringComparison.Ordinal)), string.Join("\n", logs.Lines));
            var tickets = host.Services.GetRequiredService<TicketService>().List(new TicketQuery(null, null, null, 10));
            Assert.Equal(4, tickets.Count);
            var store = host.Services.GetRequiredService<Tickets.Storage.TicketDatabase>();
            Assert.Equal(3L, store.Read(c => (long)Tickets.Storage.DbExtensions.Scalar(c, "SELECT COUNT(*) FROM mail_inbound WHERE outcome = 'duplicate'")!));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Poller_BigMail_IsSpooledToAFileAndOversizedMailIsQuarantinedWithItsRawBytesKept()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        dovecot.Deliver(Fixtures.Mail("big@example.cn", "投诉 big", new string('长', 3000), "big1@example.cn"));
        dovecot.Deliver(Fixtures.Mail("huge@example.cn", "投诉 huge", new string('大', 20000), "huge1@example.cn"));
        using var dir = new TempDir();
        using var host = Build(dovecot, dir.Path, new LogCollector(), ("Mail:Intake:SpoolThreshold", "4096"), ("Mail:Imap:MaxMessageSize", "32768"));
        await host.StartAsync();
        try
        {
            await Eventually.WaitAsync(() => (dovecot.Count("Processed"), dovecot.Count("Quarantine")), n => n == (1, 1), TimeSpan.FromSeconds(20), "mails moved");
            var ticket = Assert.Single(host.Services.GetRequiredService<TicketService>().List(new TicketQuery(null, null, null, 10)));
            Assert.Equal(new string('长', 3000), host.Services.GetRequiredService<TicketService>().Get(ticket.Ref).Messages[0].Text);
            var quarantine = host.Services.GetRequiredService<MailIntake.Intake.QuarantineService>();
            var held = Assert.Single(quarantine.List());
            Assert.Contains("Mail:Imap:MaxMessageSize", held.Reason, StringComparison.Ordinal);
            Assert.NotNull(held.SpoolPath);
            Assert.True(File.Exists(held.SpoolPath));
            Assert.Contains("huge1@example.cn", System.Text.Encoding.UTF8.GetString(quarantine.Raw(held.Id)), StringComparison.Ordinal);
            var spooled = Directory.GetFiles(Path.Combine(dir.Path, "mail-spool"));
            Assert.Equal(2, spooled.Length);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private IHost Build(DovecotServer dovecot, string dataDir, LogCollector logs, params (string Key, string Value)[] overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var db = TestDatabase.Create(engine, dataDir);
        var settings = new Dictionary<string, string?>(db.Settings)
        {
            ["Mail:Imap:Host"] = "127.0.0.1",
            ["Mail:Imap:Port"] = dovecot.Port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Imap:Security"] = "None",
            ["Mail:Imap:Username"] = DovecotServer.User,
            ["Mail:Imap:Password"] = DovecotServer.Password,
            ["Mail:Imap:PollInterval"] = "00:00:01",
            ["Mail:Imap:ReconnectMaxDelay"] = "00:00:01",
            ["Mail:SupportAddress"] = "support@example.com",
            ["Mail:ReplyTokenSecret"] = "intake-tests-reply-token-secret",
        };
        if (db.FilePath is null)
        {
            // Without a database file the spool's default is data/mail-spool under the working folder,
            // here the test runner's: the test's folder instead, as a SQLite store gets by default.
            settings["Mail:Intake:SpoolFolder"] = Path.Combine(dataDir, "mail-spool");
        }

        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.AddTickets();
        builder.AddMailIntake();
        return builder.Build();
    }
}

public sealed class ImapPollerTestsOnSqlite() : ImapPollerTests(StoreKind.Sqlite);

public sealed class ImapPollerTestsOnPostgres() : ImapPollerTests(StoreKind.Postgres);
