namespace TicketGateway.Tickets;

/// <summary>The operator's own identifiers for a complaint it filed.</summary>
/// <param name="OperatorId">The configured operator id.</param>
/// <param name="OrderId">The operator's work-order number, unique per operator.</param>
public sealed record OperatorReference(string OperatorId, string OrderId);
