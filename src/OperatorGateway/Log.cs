namespace TicketGateway.OperatorGateway;

internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Warning, "Operator call refused from {Address}: {Reason} (further failures from this address are counted and logged in summary)")]
    public static partial void AuthenticationFailed(ILogger logger, string address, string reason);

    [LoggerMessage(120, LogLevel.Warning, "{Failures} failed authentications from {Address} within {Window}; {Refused} further calls refused over the limit")]
    public static partial void AuthenticationFailures(ILogger logger, string address, int failures, int refused, TimeSpan window);

    [LoggerMessage(121, LogLevel.Warning, "Operator {OperatorId} sent {Method} a request that is not valid protobuf/UTF-8; answered INVALID_ARGUMENT")]
    public static partial void UnparsableRequest(ILogger logger, string operatorId, string method);

    [LoggerMessage(101, LogLevel.Warning, "Operator {OperatorId} is over its rate limit ({Method})")]
    public static partial void RateLimited(ILogger logger, string operatorId, string method);

    [LoggerMessage(102, LogLevel.Information, "Operator {OperatorId} complaint {OrderId} of {Msisdn} accepted as {Ticket}, level {Level}; agents, please take it up")]
    public static partial void ComplaintAccepted(ILogger logger, string operatorId, string orderId, string msisdn, string ticket, int level);

    [LoggerMessage(104, LogLevel.Information, "Operator {OperatorId} complaint {OrderId}: attempt {Attempt} was not committed ({Reason}); trying again")]
    public static partial void SubmitRetried(ILogger logger, string operatorId, string orderId, int attempt, string reason);

    [LoggerMessage(105, LogLevel.Warning, "An operator call was answered UNAVAILABLE, nothing committed for it: {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(106, LogLevel.Error, "An operator call was refused by the ticket store and answered INTERNAL, nothing committed for it: {Reason}")]
    public static partial void StoreRefused(ILogger logger, string reason);

    [LoggerMessage(103, LogLevel.Error, "ALERT for the person on duty ({Kind}) operator {OperatorId} ticket {Ticket}: {Detail}")]
    public static partial void OperatorAlert(ILogger logger, string kind, string operatorId, string ticket, string detail);

    [LoggerMessage(110, LogLevel.Debug, "Update {Sequence} ({Kind}) of {OperatorId} order {OrderId} delivered")]
    public static partial void UpdateDelivered(ILogger logger, string operatorId, string orderId, long sequence, string kind);

    [LoggerMessage(111, LogLevel.Warning, "Update {Sequence} of {OperatorId} order {OrderId} not delivered to {Address} (attempt {Attempts}): {Reason}; next try in {Wait}")]
    public static partial void UpdateNotDelivered(ILogger logger, string operatorId, string orderId, long sequence, string address, int attempts, string reason, TimeSpan wait);

    [LoggerMessage(112, LogLevel.Error, "Operator {OperatorId} at {Address} refused update {Sequence} of order {OrderId} (attempt {Attempts}): {Reason}; next try in {Wait}")]
    public static partial void UpdateRefused(ILogger logger, string operatorId, string orderId, long sequence, string address, int attempts, string reason, TimeSpan wait);

    [LoggerMessage(113, LogLevel.Error, "A delivery pass of the operator outbox failed; the next pass retries")]
    public static partial void DeliveryPassFailed(ILogger logger, Exception exception);
}
