using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>
/// A person's "try it now" for an update the operator has not received (<c>operator retry</c>, the
/// console's stuck-work page): its next attempt is set to now and the delivery worker woken. The
/// update keeps its sequence and place: a complaint's updates still go in order, so a later update
/// waits for the ones before it.
/// </summary>
internal sealed class UpdateRetry(TicketDatabase database, OutboxSignal signal, TimeProvider time)
{
    /// <summary>Updates tried and not delivered, or queued for longer than a minute, oldest first.</summary>
    public IReadOnlyList<(QueuedUpdate Update, DateTimeOffset NextAttemptAt, string? LastError)> Stuck(int limit = 200) =>
        database.Read(c => UpdateOutbox.Stuck(c, time.GetUtcNow() - TimeSpan.FromMinutes(1), limit));

    /// <summary>Queues update <paramref name="sequence"/> of the complaint <paramref name="reference"/> for an attempt now; the history names <paramref name="actor"/>.</summary>
    /// <exception cref="TicketException">No such ticket or update, or it was delivered already.</exception>
    public async Task<QueuedUpdate> RetryAsync(string reference, long sequence, string actor, CancellationToken cancellationToken = default)
    {
        var ticketId = TicketService.ParseReference(reference);
        var update = await database.WriteAsync((c, tx) =>
        {
            var u = UpdateOutbox.ForTicket(c, tx, ticketId).FirstOrDefault(x => x.Sequence == sequence)
                ?? throw new TicketException(TicketError.NotFound, $"{TicketReference.Format(ticketId)} has no operator update {sequence}; 'ticketgw operator updates {TicketReference.Format(ticketId)}' lists them.");
            if (u.DeliveredAt is not null)
            {
                throw new TicketException(TicketError.Conflict, $"Update {sequence} of {TicketReference.Format(ticketId)} reached the operator already; only undelivered updates can be retried.");
            }

            var now = time.GetUtcNow();
            UpdateOutbox.Deliveries.RetryNow(c, tx, u.Id, now);
            TicketSql.AppendHistory(c, tx, ticketId, now, actor, "retry", $"update {sequence} ({Names.Of(u.Kind)}) to operator {u.OperatorId} queued for a new attempt after {u.Attempts} attempt(s)");
            return u;
        }, cancellationToken);
        signal.Notify();
        return update;
    }
}
