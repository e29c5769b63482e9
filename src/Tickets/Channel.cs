namespace TicketGateway.Tickets;

/// <summary>How a contact reached support.</summary>
public enum Channel
{
    /// <summary>A customer's email to the support mailbox.</summary>
    Email,

    /// <summary>A formal complaint filed by the mobile operator.</summary>
    Operator,

    /// <summary>A hotline call recorded by an agent.</summary>
    Phone,
}
