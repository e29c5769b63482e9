namespace TicketGateway.Tickets.Storage;

internal static partial class Schema
{
    // Steps 400-499: service quality, calls, duty.
    private static readonly SchemaStep[] Quality = [];
}
