using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.MailIntake.Smtp;
using TicketGateway.MailIntake.Tests.Support;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Tests.Functional.Smtp;

/// <summary>The SMTP sender's waits while the server is down come from the shared backoff and are stored on the waiting mail.</summary>
public abstract class SmtpSenderBackoffTests(StoreKind engine)
{
    [Fact]
    public async Task ExecuteAsync_ServerDown_StoresNextAttemptFromTheSharedBackoffGrowingPerFailure()
    {
        await using var store = new IntakeStore(engine);
        var mail = new MailOptions { SupportAddress = "support@desk.test", ReplyTokenSecret = "test-secret-0123456789" };
        var replies = new ReplyOptions();
        var outbox = new Outbox(store.Tickets, new ReplyTemplates(replies, TimeZoneInfo.Utc, mail.SupportAddress, store.Clock), mail, replies, store.Clock, () => new Mime.MimeComposer());
        await store.Tickets.Database.WriteAsync((c, tx) => outbox.Queue(c, tx, new OutgoingMail
        {
            Purpose = "test",
            To = [new MailRecipient(null, "customer@example.com")],
            Content = new RenderedMail("Hello", "Text", null),
        }, "test"));
        var options = new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = ClosedPort(),
            Security = MailKit.Security.SecureSocketOptions.None,
            RetryBaseDelay = TimeSpan.FromMinutes(1),
            RetryMaxDelay = TimeSpan.FromHours(1),
        };
        var policy = options.RetryBackoff();
        using var sender = new SmtpSender(outbox, options, store.Clock, NullLogger<SmtpSender>.Instance);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            // First failure: the wait of attempt 1 from now (the fake clock stands still meanwhile).
            var now = store.Clock.GetUtcNow();
            var first = await Eventually.WaitAsync(() => Assert.Single(outbox.List(null)), e => e.LastError is not null, TimeSpan.FromSeconds(20), "the first failed connection noted on the mail");
            Assert.StartsWith("SMTP unavailable", first.LastError, StringComparison.Ordinal);
            Assert.Equal((OutboxStatus.Queued, 0), (first.Status, first.Attempts));
            Assert.InRange(first.NextAttemptAt, now + policy.Delay(1, 0), now + policy.Delay(1, 1));

            // The sender waits that long on the clock; then the second failure waits as attempt 2.
            store.Clock.SetUtcNow(first.NextAttemptAt);
            now = store.Clock.GetUtcNow();
            var second = await Eventually.WaitAsync(() => outbox.List(null)[0], e => e.NextAttemptAt > first.NextAttemptAt, TimeSpan.FromSeconds(20), "the second failed connection noted on the mail");
            Assert.InRange(second.NextAttemptAt, now + policy.Delay(2, 0), now + policy.Delay(2, 1));
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

public sealed class SmtpSenderBackoffTestsOnSqlite() : SmtpSenderBackoffTests(StoreKind.Sqlite);

public sealed class SmtpSenderBackoffTestsOnPostgres() : SmtpSenderBackoffTests(StoreKind.Postgres);
