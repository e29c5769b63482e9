namespace TicketGateway.Tickets.Storage;

internal static partial class Schema
{
    // Steps 300-399: the operator complaint exchange.
    private static readonly SchemaStep[] Operator = [];
}
