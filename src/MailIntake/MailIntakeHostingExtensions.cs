using Microsoft.Extensions.Hosting;
using TicketGateway.MailIntake.Smtp;

namespace TicketGateway.MailIntake;

/// <summary>Registers the email channel: IMAP intake and SMTP delivery.</summary>
public static class MailIntakeHostingExtensions
{
    /// <summary>Adds mail intake when a mailbox is configured.</summary>
    public static IHostApplicationBuilder AddMailIntake(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Outgoing mail (issue 4): the SMTP sender, only when Mail:Smtp:Host is set.
        builder.AddSmtpSender();
        return builder;
    }
}
