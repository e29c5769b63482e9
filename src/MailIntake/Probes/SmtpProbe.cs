using MailKit.Net.Smtp;
using TicketGateway.MailIntake.Smtp;

namespace TicketGateway.MailIntake.Probes;

/// <summary>The inspection's look at the SMTP server: connect (greeting and EHLO), log in when configured, QUIT. Sends nothing.</summary>
public static class SmtpProbe
{
    /// <summary>Runs the probe; a failure throws what MailKit throws (refused connection, refused login, protocol error).</summary>
    public static async Task<MailProbeResult> RunAsync(SmtpOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        var certificate = new ServerCertificate();
        certificate.Watch(client);
        await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(options.Username))
        {
            await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken).ConfigureAwait(false);
        }

        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return new MailProbeResult(0, null, certificate.Seen);
    }
}
