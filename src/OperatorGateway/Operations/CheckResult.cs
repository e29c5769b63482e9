namespace TicketGateway.OperatorGateway.Operations;

/// <summary>One row of an inspection: the check, its outcome, why, and how long it took.</summary>
internal sealed record CheckResult(string Check, CheckOutcome Outcome, string Detail, TimeSpan Duration);
