using System.Data.Common;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Agents;

/// <summary>
/// Who owns a ticket: assigned by a lead, taken by an agent, claimed by the first agent who replies,
/// or given in turn to the agents on duty when <see cref="DeskOptions.AutoAssign"/> is on. Every
/// change is an <c>owner</c> history line in the same transaction.
/// </summary>
public sealed class TicketOwnership
{
    /// <summary>The actor of automatic assignments.</summary>
    public const string AutoActor = "auto-assign";

    private readonly TicketService _tickets;

    /// <summary>Creates the service.</summary>
    public TicketOwnership(TicketService tickets) => _tickets = tickets;

    /// <summary>Gives a ticket to an active agent, or to nobody with a null <paramref name="login"/>.</summary>
    /// <exception cref="TicketException">No such ticket, or the login is not an active agent.</exception>
    public Task<Ticket> AssignAsync(string reference, string? login, string actor, CancellationToken cancellationToken = default)
    {
        var id = TicketService.ParseReference(reference);
        return _tickets.Database.WriteAsync((c, tx) =>
        {
            var owner = login is null ? null : AgentAccounts.RequireActive(c, tx, login).Login;
            return SetOwner(_tickets, c, tx, id, owner, actor, owner is null ? "unassigned" : "assigned");
        }, cancellationToken);
    }

    /// <summary>The acting agent takes a ticket (assigns it to themself).</summary>
    /// <exception cref="TicketException">The actor is not an active agent's login, or no such ticket.</exception>
    public Task<Ticket> TakeAsync(string reference, string actor, CancellationToken cancellationToken = default)
    {
        var id = TicketService.ParseReference(reference);
        return _tickets.Database.WriteAsync((c, tx) =>
        {
            var account = AgentAccounts.Find(c, tx, actor) ?? throw new TicketException(TicketError.Invalid, $"Only an agent can take a ticket, and '{actor}' is not an agent's login; act as one with --as LOGIN.");
            var owner = AgentAccounts.RequireActive(c, tx, account.Login).Login;
            return SetOwner(_tickets, c, tx, id, owner, actor, "taken");
        }, cancellationToken);
    }

    /// <summary>An agent replied to a ticket: when nobody owns it and the actor is an active agent, they become its owner.</summary>
    public static void ClaimOnReply(TicketService tickets, DbConnection connection, DbTransaction transaction, long ticketId, string actor)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        if (AgentAccounts.Find(connection, transaction, actor) is { Active: true } agent)
        {
            tickets.Change(connection, transaction, ticketId, actor, (t, history) =>
            {
                if (t.Owner is not null)
                {
                    return t;
                }

                history("owner", $"owner - -> {agent.Login} (replied)");
                return t with { Owner = agent.Login };
            });
        }
    }

    /// <summary>
    /// Picks the next agent on duty for a new ticket: the duty roster at <paramref name="at"/>, matched
    /// to active accounts by login (the roster name) or address, in roster order; the turn is a counter
    /// in the store, so several nodes share one round robin. Null when nobody on duty has an account.
    /// </summary>
    public static string? NextOnDuty(DbConnection connection, DbTransaction transaction, DutyRoster roster, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var accounts = AgentAccounts.List(connection, transaction).Where(a => a.Active).ToList();
        var candidates = roster.OnDuty(at)
            .Select(p => accounts.FirstOrDefault(a => string.Equals(a.Login, p.Name.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? accounts.FirstOrDefault(a => p.Email is { Length: > 0 } e && string.Equals(a.Email, e.Trim(), StringComparison.OrdinalIgnoreCase)))
            .OfType<AgentAccount>()
            .Select(a => a.Login)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var turn = (long)connection.Scalar(
            """
            INSERT INTO desk_counters (name, value) VALUES ('auto-assign', 1)
            ON CONFLICT (name) DO UPDATE SET value = desk_counters.value + 1
            RETURNING value
            """,
            transaction)!;
        return candidates[(int)((turn - 1) % candidates.Count)];
    }

    private static Ticket SetOwner(TicketService tickets, DbConnection connection, DbTransaction transaction, long id, string? owner, string actor, string how) =>
        tickets.Change(connection, transaction, id, actor, (t, history) =>
        {
            if (t.Owner == owner)
            {
                return t;
            }

            history("owner", $"owner {t.Owner ?? "-"} -> {owner ?? "-"} ({how})");
            return t with { Owner = owner };
        });
}
