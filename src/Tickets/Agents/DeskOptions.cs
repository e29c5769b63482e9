namespace TicketGateway.Tickets.Agents;

/// <summary>The <c>Desk</c> section: how the desk shares its work among agents.</summary>
public sealed class DeskOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Desk";

    /// <summary>
    /// Assign each new ticket to the agents on duty (the duty roster, matched to active accounts by
    /// login or address) in turn; nobody on duty leaves it unassigned. Off by default.
    /// </summary>
    public bool AutoAssign { get; set; }
}
