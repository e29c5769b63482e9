using System.Data.Common;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Who may act as an agent by mail, and who the agents are on email: the active agent accounts, and
/// the configured <c>Agents:N</c> entries that have no account yet (the server imports them at
/// start-up; until then they act as before). An account found by address decides: a disabled one
/// is nobody, whatever the configuration says. Addresses compare without case.
/// </summary>
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

    /// <summary>The configured <c>Agents:N</c> entries.</summary>
    public IReadOnlyCollection<AgentOptions> All => _byEmail.Values;

    /// <summary>The agent with this address (an active account, else a configured entry without an account), or null.</summary>
    public AgentOptions? Find(DbConnection connection, DbTransaction? transaction, string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        if (AgentAccounts.FindByEmail(connection, transaction, email) is { } account)
        {
            return account.Active ? Of(account) : null;
        }

        return _byEmail.TryGetValue(email.Trim(), out var configured) ? WithLogin(configured) : null;
    }

    /// <summary>The agent whose login is <paramref name="login"/> (an actor in history), or null.</summary>
    public AgentOptions? FindByLogin(DbConnection connection, DbTransaction? transaction, string login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (AgentAccounts.Find(connection, transaction, login) is { } account)
        {
            return Of(account);
        }

        return _byEmail.Values.Where(e => AgentAccounts.ConfiguredLogin(e) == login).Select(WithLogin).FirstOrDefault();
    }

    /// <summary>Every agent who can act: the active accounts and the configured entries without an account.</summary>
    public IReadOnlyList<AgentOptions> Active(DbConnection connection, DbTransaction? transaction) => Active(AgentAccounts.List(connection, transaction));

    /// <summary>The active agents among <paramref name="accounts"/> (every account, as the store holds them) and the configured entries without an account.</summary>
    public IReadOnlyList<AgentOptions> Active(IReadOnlyList<AgentAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var known = accounts.Select(a => a.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. accounts.Where(a => a.Active).Select(Of), .. _byEmail.Values.Where(e => !known.Contains(e.Email.Trim())).Select(WithLogin)];
    }

    private static AgentOptions Of(AgentAccount account) => new() { Login = account.Login, Name = account.Name, Email = account.Email };

    private static AgentOptions WithLogin(AgentOptions entry) => new() { Login = AgentAccounts.ConfiguredLogin(entry), Name = entry.Name, Email = entry.Email.Trim() };
}
