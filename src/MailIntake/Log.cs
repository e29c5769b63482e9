using Microsoft.Extensions.Logging;
using TicketGateway.MailIntake.Intake;

namespace TicketGateway.MailIntake;

// Event ids 100-199: mail intake (IMAP). The outgoing side keeps its own range.
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Mail intake is off: no mailbox is configured (Mail:Imap:Host)")]
    public static partial void IntakeDisabled(ILogger logger);

    [LoggerMessage(101, LogLevel.Information, "Mail intake connected to {Host}:{Port} as {User}; folder {Folder}, IDLE {Idle}")]
    public static partial void Connected(ILogger logger, string host, int port, string? user, string folder, bool idle);

    [LoggerMessage(102, LogLevel.Warning, "Mail intake lost the connection to {Host}:{Port} ({Error}); reconnecting in {Delay}")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, string error, TimeSpan delay);

    [LoggerMessage(103, LogLevel.Error, "Mail intake: {Host} refused the login of {User} ({Error}); trying again in {Delay}. Check Mail:Imap:Username and Mail:Imap:Password.")]
    public static partial void AuthenticationFailed(ILogger logger, string host, string? user, string error, TimeSpan delay);

    [LoggerMessage(104, LogLevel.Warning, "The UIDVALIDITY of {Folder} changed from {Old} to {New}: its stored UIDs are void, mail is matched by Message-ID and content instead")]
    public static partial void UidValidityChanged(ILogger logger, string folder, long old, long @new);

    [LoggerMessage(105, LogLevel.Information, "Mail intake took {Count} mail(s) from {Folder}: {Tickets} ticket change(s), {Quarantined} quarantined")]
    public static partial void Swept(ILogger logger, int count, string folder, int tickets, int quarantined);

    [LoggerMessage(106, LogLevel.Warning, "Mail UID {Uid} of {Folder} is quarantined: {Reason}")]
    public static partial void Quarantined(ILogger logger, long uid, string folder, string reason);

    [LoggerMessage(107, LogLevel.Error, "Mail UID {Uid} of {Folder} could not even be quarantined; it stays in the folder and is tried again")]
    public static partial void QuarantineFailed(ILogger logger, long uid, string folder, Exception exception);

    [LoggerMessage(109, LogLevel.Information, "Created mail folder {Folder}")]
    public static partial void FolderCreated(ILogger logger, string folder);

    [LoggerMessage(110, LogLevel.Warning, "Mail intake: the leader lease cannot be read or renewed now ({Error}); trying again")]
    public static partial void LeaseUnreachable(ILogger logger, string error);

    [LoggerMessage(111, LogLevel.Information, "Mail intake: this node ({Node}) now leads it, lease token {Token}")]
    public static partial void LeaderElected(ILogger logger, string node, long token);

    [LoggerMessage(112, LogLevel.Warning, "Mail intake: this node ({Node}) no longer leads it (token {Token}): {Why}")]
    public static partial void LeaderLost(ILogger logger, string node, long token, string why);

    [LoggerMessage(113, LogLevel.Debug, "Mail UID {Uid} of {Folder} from {From}: {Outcome}, ticket {TicketId} ({Rule})")]
    public static partial void MailTaken(ILogger logger, long uid, string folder, string? from, MailOutcome outcome, long? ticketId, string? rule);

    [LoggerMessage(114, LogLevel.Information, "Retention: purged the raw bytes of {Mails} processed mail(s) older than {RawMailDays} days and {Entries} discarded quarantine entries older than {QuarantineDays} days; {Files} spool file(s) deleted, {Bytes} bytes freed")]
    public static partial void RetentionPurged(ILogger logger, int mails, int rawMailDays, int entries, int quarantineDays, int files, long bytes);

    [LoggerMessage(115, LogLevel.Error, "Retention: the purge of raw mail failed; it runs again at its next time")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
