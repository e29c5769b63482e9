using System.Data.Common;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Agents;

/// <summary>
/// Gives each new ticket to the next agent on duty when <c>Desk:AutoAssign</c> is on, in the creating
/// transaction. It runs before the other observers (it is registered first) and writes the owner
/// straight to the row, so the agents' notification of the new ticket, which reads the owner from
/// the store, goes to that agent.
/// </summary>
internal sealed class AutoAssignObserver(IOptions<DeskOptions> options, Func<DutyRoster> roster, TimeProvider time) : ITicketObserver
{
    public void OnCreated(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketOpening opening, string actor)
    {
        if (!options.Value.AutoAssign || ticket.Owner is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (TicketOwnership.NextOnDuty(connection, transaction, roster(), now) is { } login)
        {
            TicketSql.Update(connection, transaction, ticket, ticket with { Owner = login }, now);
            TicketSql.AppendHistory(connection, transaction, ticket.Id, now, TicketOwnership.AutoActor, "owner", $"owner - -> {login} (automatic: on duty)");
        }
    }

    public void OnChanged(DbConnection connection, DbTransaction transaction, Ticket before, Ticket after, string actor)
    {
    }
}
