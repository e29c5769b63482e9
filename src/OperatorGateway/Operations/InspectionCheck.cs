namespace TicketGateway.OperatorGateway.Operations;

/// <summary>A check the inspection runs: its name and the work, which returns the outcome and a one-line detail.</summary>
internal sealed record InspectionCheck(string Name, Func<CancellationToken, Task<(CheckOutcome Outcome, string Detail)>> Run)
{
    public static (CheckOutcome, string) Ok(string detail) => (CheckOutcome.Ok, detail);

    public static (CheckOutcome, string) Warning(string detail) => (CheckOutcome.Warning, detail);

    public static (CheckOutcome, string) Failed(string detail) => (CheckOutcome.Failed, detail);
}
