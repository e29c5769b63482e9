using Microsoft.Extensions.Logging;

namespace TicketGateway.MailIntake;

internal static partial class Log
{
    // 200-299: SMTP delivery.
    [LoggerMessage(200, LogLevel.Warning, "SMTP server {Host}:{Port} unavailable; next attempt in {Delay}")]
    public static partial void SmtpUnavailable(ILogger logger, string host, int port, TimeSpan delay, Exception exception);

    [LoggerMessage(201, LogLevel.Information, "Outbox mail {Id} ({Purpose}) accepted by SMTP, Message-ID <{MessageId}>")]
    public static partial void MailSent(ILogger logger, long id, string purpose, string messageId);

    [LoggerMessage(202, LogLevel.Error, "Outbox mail {Id} ({Purpose}) to {Recipients} refused for good: {Reason}")]
    public static partial void MailRefused(ILogger logger, long id, string purpose, string recipients, string reason);

    [LoggerMessage(203, LogLevel.Warning, "Outbox mail {Id} ({Purpose}) deferred: {Reason}")]
    public static partial void MailDeferred(ILogger logger, long id, string purpose, string reason);

    [LoggerMessage(204, LogLevel.Warning, "{Count} outbox mails were interrupted while sending; they are sent again with the same Message-ID")]
    public static partial void MailRequeued(ILogger logger, int count);

    [LoggerMessage(205, LogLevel.Warning, "Outbox mail {Id} was accepted by SMTP but the store did not record it; trying again in {Delay}: {Reason}")]
    public static partial void SentNotRecorded(ILogger logger, long id, TimeSpan delay, string reason);
}
