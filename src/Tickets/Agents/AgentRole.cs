namespace TicketGateway.Tickets.Agents;

/// <summary>What an agent account may do; the web console checks it, the store only keeps it.</summary>
public enum AgentRole
{
    /// <summary>Works tickets.</summary>
    Agent,

    /// <summary>Leads a team: assigns tickets, reads the figures of every agent.</summary>
    Lead,

    /// <summary>Manages the accounts and the desk's settings.</summary>
    Admin,
}
