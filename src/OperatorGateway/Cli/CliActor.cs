using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// Who a CLI command acts as, for the history: <c>--as LOGIN</c> (or <c>TICKETGW_AS</c>), an active
/// agent account; else <c>cli:</c> and the OS user. One process runs one command, so it is one value
/// for the process; the command classes read it through their <c>Actor</c> member.
/// </summary>
internal static class CliActor
{
    /// <summary>The environment variable that names the agent when <c>--as</c> is not given.</summary>
    public const string Variable = "TICKETGW_AS";

    private static Lazy<string> s_current = new(Anonymous);

    /// <summary>The resolved actor; resolving <c>TICKETGW_AS</c> reads the store on first use.</summary>
    public static string Current => s_current.Value;

    /// <summary>
    /// Sets the actor of this command: an explicit <c>--as</c> is checked now (one line when unknown or
    /// disabled); <c>TICKETGW_AS</c> when first used, so a command that opens no store is not stopped by it.
    /// </summary>
    public static void Resolve(string? option, CliSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!string.IsNullOrWhiteSpace(option))
        {
            s_current = new(Account(option, "--as", session));
            _ = s_current.Value;
            return;
        }

        var variable = Environment.GetEnvironmentVariable(Variable);
        s_current = string.IsNullOrWhiteSpace(variable) ? new(Anonymous) : new(() => Account(variable, Variable, session));
    }

    private static string Account(string login, string source, CliSession session)
    {
        var accounts = session.Services.GetRequiredService<AgentAccounts>();
        // The Agents:N entries may not be imported yet (the server imports them when it starts).
        accounts.ImportAsync(session.Services.GetRequiredService<AgentDirectory>().All).GetAwaiter().GetResult();
        var account = accounts.Find(login.Trim()) ?? throw new CliException($"{source}: there is no agent with login '{login.Trim()}'; run 'ticketgw agents list'.");
        return account.Active ? account.Login : throw new CliException($"{source}: the agent '{account.Login}' is disabled.");
    }

    private static string Anonymous() => "cli:" + Environment.UserName;
}
