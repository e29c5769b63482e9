using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied schema step {Version}: {Name}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(2, LogLevel.Error, "A batch of {Count} changes could not be committed; every change in it was refused")]
    public static partial void BatchCommitFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Deadline for {Ticket}: {Warning}")]
    public static partial void DeadlineWarning(ILogger logger, string ticket, string warning);
}
