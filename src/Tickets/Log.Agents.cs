using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets;

internal static partial class Log
{
    // 501-509: agent accounts and ownership (the numbers of their schema steps).
    [LoggerMessage(501, LogLevel.Information, "Imported agent {Login} <{Email}> from the Agents configuration as an account")]
    public static partial void AgentImported(ILogger logger, string login, string email);

    [LoggerMessage(502, LogLevel.Warning, "The Agents configuration entry {Email} was not imported: its login '{Login}' is not valid or belongs to another account; set Agents:N:Login")]
    public static partial void AgentNotImported(ILogger logger, string email, string login);

    [LoggerMessage(503, LogLevel.Warning, "The Agents configuration could not be imported as accounts now; its entries still act as agents, and the next start tries again")]
    public static partial void AgentImportFailed(ILogger logger, Exception exception);

    [LoggerMessage(561, LogLevel.Warning, "The agent account {Login} is locked until {Until} after too many wrong passwords at sign-in")]
    public static partial void AgentLocked(ILogger logger, string login, DateTimeOffset until);
}
