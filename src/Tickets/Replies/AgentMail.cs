namespace TicketGateway.Tickets.Replies;

/// <summary>An agent's mail reduced to what counts: its commands and its own text (quotes and signature removed).</summary>
/// <param name="Commands">The commands found on the first lines, in order.</param>
/// <param name="Text">The agent's text, trimmed; empty when there is none.</param>
/// <param name="Errors">One sentence per command line that could not be understood.</param>
public sealed record AgentMail(IReadOnlyList<AgentCommand> Commands, string Text, IReadOnlyList<string> Errors)
{
    /// <summary>True when a command of that kind was given.</summary>
    public bool Has(AgentCommandKind kind) => Commands.Any(c => c.Kind == kind);

    /// <summary>The argument of the last command of that kind, or null.</summary>
    public string? Argument(AgentCommandKind kind) => Commands.LastOrDefault(c => c.Kind == kind)?.Argument;
}
