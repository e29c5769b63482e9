namespace TicketGateway.Tickets.Agents;

/// <summary>The outcome of a sign-in with login and password.</summary>
/// <param name="Account">The account when the password matched an active, unlocked account; else null.</param>
/// <param name="LockedUntil">When the account is locked (now, or by this attempt) until then; else null.</param>
public sealed record SignInAttempt(AgentAccount? Account, DateTimeOffset? LockedUntil);
