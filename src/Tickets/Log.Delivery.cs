using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets;

internal static partial class Log
{
    // 600-699: durable delivery.
    [LoggerMessage(600, LogLevel.Warning, "Configuration key {OldKey} is deprecated; use {NewKey} (the old key still works for now)")]
    public static partial void RenamedSettingUsed(ILogger logger, string oldKey, string newKey);

    [LoggerMessage(601, LogLevel.Warning, "This node could not tell the others it is alive ({Error}); they may take its claims over")]
    public static partial void HeartbeatFailed(ILogger logger, string error);
}
