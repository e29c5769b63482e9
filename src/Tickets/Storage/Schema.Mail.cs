namespace TicketGateway.Tickets.Storage;

internal static partial class Schema
{
    // Steps 100-199: mail intake.
    private static readonly SchemaStep[] Mail = [];
}
