using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied schema step {Version}: {Name}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(2, LogLevel.Error, "A batch of {Count} changes could not be committed; every change in it was refused")]
    public static partial void BatchCommitFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Created a new, empty ticket store at {Path}")]
    public static partial void StoreCreated(ILogger logger, string path);

    [LoggerMessage(5, LogLevel.Information, "Recorded the checksums of {Count} schema steps applied before checksums existed")]
    public static partial void MigrationChecksumsRecorded(ILogger logger, int count);

    [LoggerMessage(6, LogLevel.Information, "Refreshed the planner's statistics of {Table}: about {Rows} rows, {Known} before")]
    public static partial void StatisticsRefreshed(ILogger logger, string table, long rows, long known);

    [LoggerMessage(7, LogLevel.Warning, "Could not refresh the planner's statistics ({Error}); lookups in a fast-growing table may read it whole until the database's autovacuum does")]
    public static partial void StatisticsRefreshFailed(ILogger logger, string error);

    [LoggerMessage(8, LogLevel.Warning, "The search index's merge between write batches failed ({Error}); it is tried again after the next batch, and searches stay correct meanwhile")]
    public static partial void IdleWorkFailed(ILogger logger, string error);

    [LoggerMessage(3, LogLevel.Warning, "Deadline for {Ticket}: {Warning}")]
    public static partial void DeadlineWarning(ILogger logger, string ticket, string warning);

    // 200-299: replies and the outbox.
    [LoggerMessage(200, LogLevel.Warning, "Agent mail for {Ticket} from {Agent} was not applied: {Reason}")]
    public static partial void AgentMailRefused(ILogger logger, string ticket, string agent, string reason);

    [LoggerMessage(201, LogLevel.Warning, "Untrusted mail claiming to be an agent's for {Ticket} from {From}: {Reason}; nothing was sent")]
    public static partial void UntrustedAgentMail(ILogger logger, string ticket, string from, string reason);

    [LoggerMessage(202, LogLevel.Information, "Email replies are off: Mail:SupportAddress is not set")]
    public static partial void RepliesDisabled(ILogger logger);

    [LoggerMessage(203, LogLevel.Information, "Watching {Folder} for template changes")]
    public static partial void TemplateWatchStarted(ILogger logger, string folder);

    [LoggerMessage(204, LogLevel.Information, "Templates reloaded from {Folder}: {Count} template(s) in use")]
    public static partial void TemplatesReloaded(ILogger logger, string folder, int count);

    [LoggerMessage(205, LogLevel.Warning, "Templates in {Folder} were not reloaded, the last good ones stay in use: {Errors}")]
    public static partial void TemplatesRefused(ILogger logger, string folder, string errors);
}
