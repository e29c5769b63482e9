namespace TicketGateway.Tickets.Replies;

/// <summary>One entry of the configuration list <c>Agents</c> (<c>Agents:0:Name</c>, <c>Agents:0:Email</c>).</summary>
public sealed class AgentOptions
{
    /// <summary>The section name of the list.</summary>
    public const string Section = "Agents";

    /// <summary>The agent's name, shown to customers in replies.</summary>
    public string Name { get; set; } = "";

    /// <summary>The agent's own address: only mail from it is accepted as the agent's.</summary>
    public string Email { get; set; } = "";

    /// <summary>The login of the account imported from this entry; by default the local part of <see cref="Email"/>.</summary>
    public string? Login { get; set; }
}
