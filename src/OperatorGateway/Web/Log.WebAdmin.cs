namespace TicketGateway.OperatorGateway;

internal static partial class Log
{
    // The console's record of account changes: the store keeps only the account's state, so the log names who changed it.
    [LoggerMessage(1340, LogLevel.Warning, "Web console: {Actor} {Change} agent {Login}")]
    public static partial void WebAgentChanged(ILogger logger, string actor, string change, string login);
}
