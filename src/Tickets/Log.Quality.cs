using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets;

// Service quality's log messages (event ids 400-499), in their own part of the project's Log class.
internal static partial class Log
{
    [LoggerMessage(400, LogLevel.Information, "Duty roster: every hour of the coming week is covered")]
    public static partial void DutyCovered(ILogger logger);

    [LoggerMessage(401, LogLevel.Warning, "Duty roster: nobody is on duty for {Hours} h of the coming week: {Gaps}")]
    public static partial void DutyGaps(ILogger logger, string hours, string gaps);

    [LoggerMessage(402, LogLevel.Information, "Raised {Count} duty alert(s)")]
    public static partial void AlertsRaised(ILogger logger, int count);

    [LoggerMessage(403, LogLevel.Warning, "Alert {AlertId} could not be posted to the chat webhook (attempt {Attempt}): {Error}")]
    public static partial void WebhookFailed(ILogger logger, long alertId, int attempt, string error);

    [LoggerMessage(404, LogLevel.Error, "The alert scan failed; it runs again at the next tick")]
    public static partial void AlertScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(405, LogLevel.Information, "Alert {AlertId} ({Kind} for {Ticket}) posted to the chat webhook")]
    public static partial void WebhookSent(ILogger logger, long alertId, string kind, string ticket);
}
