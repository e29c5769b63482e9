namespace TicketGateway.Tickets.Storage;

internal static partial class Schema
{
    // Steps 200-299: replies, templates and the outbox.
    private static readonly SchemaStep[] Replies = [];
}
