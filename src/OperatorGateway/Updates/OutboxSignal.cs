using TicketGateway.Tickets.Delivery;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>Wakes the update delivery worker right after something was queued, instead of at its next poll.</summary>
internal sealed class OutboxSignal : DeliverySignal;
