using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using TicketGateway.MailIntake.Imap;

namespace TicketGateway.MailIntake.Probes;

/// <summary>
/// The inspection's look at the support mailbox: connect, log in, open the intake folder read-only
/// and read the arrival time of its oldest mail (mail still there is not processed yet: the poller
/// moves every mail it took). Changes nothing in the mailbox.
/// </summary>
public static class ImapProbe
{
    /// <summary>Runs the probe; a refused login throws MailKit's <c>AuthenticationException</c>, a server that is down a <c>SocketException</c>.</summary>
    public static async Task<MailProbeResult> RunAsync(ImapOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var client = new ImapClient();
        var certificate = new ServerCertificate();
        certificate.Watch(client);
        await client.ConnectAsync(options.Host!, options.EffectivePort, options.SocketOptions, cancellationToken).ConfigureAwait(false);
        await LogInOnceAsync(client, options, cancellationToken).ConfigureAwait(false);
        var inbox = await client.GetFolderAsync(options.Folder, cancellationToken).ConfigureAwait(false);
        await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        DateTimeOffset? oldest = null;
        if (inbox.Count > 0)
        {
            // Sequence number 0 is the mail that has been in the folder longest.
            var first = await inbox.FetchAsync(0, 0, MessageSummaryItems.InternalDate, cancellationToken).ConfigureAwait(false);
            oldest = first.FirstOrDefault()?.InternalDate;
        }

        var waiting = inbox.Count;
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return new MailProbeResult(waiting, oldest, certificate.Seen);
    }

    // MailKit's AuthenticateAsync(user, password) tries every mechanism the server offers, then the
    // LOGIN command: three refusals per probe for a wrong password, which servers punish with growing
    // delays (Dovecot's auth penalty) and providers with a locked account. A probe tries once.
    private static readonly string[] Preferred = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];

    private static async Task LogInOnceAsync(ImapClient client, ImapOptions options, CancellationToken cancellationToken)
    {
        var credentials = new System.Net.NetworkCredential(options.Username ?? "", options.Password ?? "");
        var mechanism = Preferred.FirstOrDefault(m => client.AuthenticationMechanisms.Contains(m) && SaslMechanism.IsSupported(m));
        if (mechanism is null)
        {
            await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
            return;
        }

        await client.AuthenticateAsync(SaslMechanism.Create(mechanism, credentials)!, cancellationToken).ConfigureAwait(false);
    }
}
