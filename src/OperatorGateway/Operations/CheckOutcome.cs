namespace TicketGateway.OperatorGateway.Operations;

/// <summary>The result of one inspection check, in rising order of concern.</summary>
internal enum CheckOutcome
{
    Ok,
    Warning,
    Failed,
}
