namespace TicketGateway.OperatorGateway;

internal static partial class Log
{
    [LoggerMessage(1461, LogLevel.Error, "A round of the inspection and fault checks failed; the next round tries again")]
    public static partial void OperationsRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(1462, LogLevel.Information, "Daily inspection of {Day}: {Summary}; sent to the person on duty")]
    public static partial void InspectionDone(ILogger logger, string day, string summary);

    [LoggerMessage(1463, LogLevel.Error, "FAULT for the person on duty: {Check} failing since {Since}: {Detail}")]
    public static partial void FaultRaised(ILogger logger, string check, DateTimeOffset since, string detail);

    [LoggerMessage(1464, LogLevel.Warning, "Recovered: {Check} works again: {Detail}")]
    public static partial void FaultCleared(ILogger logger, string check, string detail);
}
