using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets;

internal static partial class Log
{
    // 600-699: durable delivery.
    [LoggerMessage(600, LogLevel.Warning, "Configuration key {OldKey} is deprecated; use {NewKey} (the old key still works for now)")]
    public static partial void RenamedSettingUsed(ILogger logger, string oldKey, string newKey);
}
