namespace TicketGateway.Tickets.Agents;

/// <summary>A person who works the desk. The password itself is never kept, only its hash, and the hash never leaves the store.</summary>
/// <param name="Login">The login, lower-case; history records it as the actor.</param>
/// <param name="Name">The display name customers read in replies.</param>
/// <param name="Email">The agent's own address: signed mail from it acts as the agent.</param>
/// <param name="Mobile">The mobile number, if given.</param>
/// <param name="Role">What the account may do.</param>
/// <param name="Active">False once disabled: a disabled account cannot act (mail, <c>--as</c>, log-in).</param>
/// <param name="HasPassword">True when a password is set (accounts may exist without one).</param>
/// <param name="Source"><c>cli</c> or <c>config</c> (imported from an <c>Agents:N</c> entry).</param>
/// <param name="CreatedAt">When the account was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record AgentAccount(
    string Login,
    string Name,
    string Email,
    string? Mobile,
    AgentRole Role,
    bool Active,
    bool HasPassword,
    string Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
