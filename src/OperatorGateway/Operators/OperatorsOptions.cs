namespace TicketGateway.OperatorGateway.Operators;

/// <summary>Configuration section <c>Operators</c>: the list of operators (<c>Operators:0:Id</c>, ...).</summary>
internal sealed class OperatorsOptions
{
    public const string Section = "Operators";

    public List<OperatorOptions> List { get; } = [];
}
