using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.MailIntake.Imap;

namespace TicketGateway.MailIntake.Tests.Functional.Imap;

/// <summary>The intake's lag for <c>/metrics</c>, read from a real Dovecot folder: the first mail's arrival time.</summary>
public sealed class IntakeLagTests
{
    [Fact]
    public async Task Observe_MailWaitingAnHour_LagIsItsAgeUntilTheFolderIsDrained()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        var now = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        dovecot.Deliver(Mail(1), now.AddHours(-1));
        dovecot.Deliver(Mail(2), now.AddMinutes(-5));
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", dovecot.Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(DovecotServer.User, DovecotServer.Password);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var lag = new IntakeLag(clock);
        Assert.Null(lag.Seconds);

        await lag.ObserveAsync(client.Inbox, CancellationToken.None);
        Assert.Equal(3600, lag.Seconds);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3660, lag.Seconds);

        lag.Drained();
        Assert.Equal(0, lag.Seconds);
        lag.Unknown();
        Assert.Null(lag.Seconds);
    }

    private static byte[] Mail(int n) => Encoding.ASCII.GetBytes(
        $"From: c{n}@example.net\r\nTo: support@example.com\r\nSubject: lag {n}\r\nMessage-ID: <lag-{n}@example.net>\r\n\r\nBody {n}\r\n");
}
