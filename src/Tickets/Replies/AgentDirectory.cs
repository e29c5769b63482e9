namespace TicketGateway.Tickets.Replies;

/// <summary>The configured agents, looked up by address (case-insensitive).</summary>
public sealed class AgentDirectory
{
    private readonly Dictionary<string, AgentOptions> _byEmail = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks and indexes the configured agents.</summary>
    /// <exception cref="InvalidDataException">An entry has no name or no valid address, or an address is listed twice.</exception>
    public AgentDirectory(IEnumerable<AgentOptions> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var i = 0;
        foreach (var agent in agents)
        {
            if (string.IsNullOrWhiteSpace(agent.Name))
            {
                throw new InvalidDataException($"Agents:{i}:Name must be set.");
            }

            if (!MailAddresses.IsPlain(agent.Email ?? ""))
            {
                throw new InvalidDataException($"Agents:{i}:Email must be a plain address like agent@example.com, not '{agent.Email}'.");
            }

            if (!_byEmail.TryAdd(agent.Email!.Trim(), agent))
            {
                throw new InvalidDataException($"Agents:{i}:Email '{agent.Email}' is listed twice.");
            }

            i++;
        }
    }

    /// <summary>All agents.</summary>
    public IReadOnlyCollection<AgentOptions> All => _byEmail.Values;

    /// <summary>The agent with this address, or null.</summary>
    public AgentOptions? Find(string? email) => email is not null && _byEmail.TryGetValue(email.Trim(), out var a) ? a : null;
}
