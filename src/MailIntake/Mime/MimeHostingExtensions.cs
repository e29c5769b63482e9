using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Mime;

/// <summary>Registers the MIME side of outgoing mail.</summary>
public static class MimeHostingExtensions
{
    /// <summary>
    /// Adds the <see cref="IMailComposer"/> the outbox writes its mail with. <c>AddMailIntake</c>
    /// calls it; a host that queues mail without the intake (a tool, a test) calls it itself.
    /// </summary>
    public static IHostApplicationBuilder AddMailComposer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IMailComposer, MimeComposer>();
        return builder;
    }
}
