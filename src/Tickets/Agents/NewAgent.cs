namespace TicketGateway.Tickets.Agents;

/// <summary>What <see cref="AgentAccounts.AddAsync"/> needs to create an account.</summary>
/// <param name="Login">Letters, digits, '.', '_' and '-', 1 to 64 characters; compared without case.</param>
/// <param name="Name">The display name.</param>
/// <param name="Email">A plain address (<c>agent@example.com</c>), unique among accounts.</param>
/// <param name="Mobile">Digits, optionally with a leading + (spaces and dashes are dropped).</param>
/// <param name="Role">The role.</param>
public sealed record NewAgent(string Login, string Name, string Email, string? Mobile, AgentRole Role);
