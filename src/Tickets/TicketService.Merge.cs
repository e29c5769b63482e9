using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets;

/// <summary>Merging a duplicate ticket into the one that carries on.</summary>
/// <remarks>
/// What moves: messages and their files (rows re-pointed, so mail replying to any Message-ID of the
/// merged ticket threads into the target) and a copy of the history (the history is append-only,
/// so the merged ticket keeps its own lines and the target gets copies naming where they came
/// from). The merged ticket is closed with a row in <c>ticket_merges</c>; the monthly indicators
/// leave it out (a duplicate is one contact, counted once, by the target), and mail that would
/// have threaded into it goes to the target (<see cref="MergeTarget"/>). The target keeps its own
/// acceptance time, deadlines, first reply and satisfaction.
/// </remarks>
public sealed partial class TicketService
{
    /// <summary>Merges ticket <paramref name="reference"/> into <paramref name="intoReference"/>; returns the target.</summary>
    /// <exception cref="TicketException">No such ticket, or the merge is refused (same ticket, an operator complaint, a merged or finished target, ...).</exception>
    public Task<Ticket> MergeAsync(string reference, string intoReference, string actor, CancellationToken cancellationToken = default)
    {
        var id = ParseReference(reference);
        var into = ParseReference(intoReference);
        return _database.WriteAsync((c, tx) => Merge(c, tx, id, into, actor), cancellationToken);
    }

    /// <summary>The ticket a merged ticket went into, or null when <paramref name="ticketId"/> was not merged.</summary>
    public static long? MergeTarget(DbConnection connection, DbTransaction? transaction, long ticketId) =>
        (long?)connection.Scalar("SELECT into_id FROM ticket_merges WHERE ticket_id = @t", transaction, ("@t", ticketId));

    /// <summary>The ticket a merged ticket went into, or null (read from the store).</summary>
    public long? MergeTarget(long ticketId) => _database.Read(c => MergeTarget(c, null, ticketId));

    /// <summary>The tickets merged into <paramref name="ticketId"/>, oldest merge first.</summary>
    public IReadOnlyList<long> MergedFrom(long ticketId) => _database.Read(c =>
    {
        using var command = c.Command("SELECT ticket_id FROM ticket_merges WHERE into_id = @t ORDER BY at, ticket_id", null, ("@t", ticketId));
        using var reader = command.ExecuteReader();
        var list = new List<long>();
        while (reader.Read())
        {
            list.Add(reader.GetInt64(0));
        }

        return list;
    });

    private Ticket Merge(DbConnection c, DbTransaction tx, long id, long into, string actor)
    {
        var source = TicketSql.Find(c, tx, id) ?? throw TicketException.NotFound(TicketReference.Format(id));
        var target = TicketSql.Find(c, tx, into) ?? throw TicketException.NotFound(TicketReference.Format(into));
        if (id == into)
        {
            throw new TicketException(TicketError.Invalid, $"{source.Ref} cannot be merged into itself.");
        }

        foreach (var t in new[] { source, target })
        {
            if (t.Operator is not null || t.Channel == Channel.Operator)
            {
                throw new TicketException(TicketError.Conflict, $"{t.Ref} is an operator complaint (order {t.Operator?.OrderId}); the operator tracks it by its order id, so it cannot be merged.");
            }

            if (MergeTarget(c, tx, t.Id) is { } already)
            {
                throw new TicketException(TicketError.Conflict, $"{t.Ref} was already merged into {TicketReference.Format(already)}.");
            }
        }

        if (target.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            throw new TicketException(TicketError.Conflict, $"{target.Ref} is {Names.Of(target.Status)}; reopen it before merging another ticket into it.");
        }

        var now = _time.GetUtcNow();
        var messages = c.Execute("UPDATE messages SET ticket_id = @into WHERE ticket_id = @id", tx, ("@into", into), ("@id", id));
        var files = c.Execute("UPDATE attachments SET ticket_id = @into WHERE ticket_id = @id", tx, ("@into", into), ("@id", id));
        c.Execute(
            "INSERT INTO history (ticket_id, at, actor, action, detail) SELECT @into, at, actor, action, @prefix || detail FROM history WHERE ticket_id = @id ORDER BY id",
            tx,
            ("@into", into),
            ("@id", id),
            ("@prefix", $"[{source.Ref}] "));
        // Tickets merged into the source earlier now point at the target, so every merged ticket names a live one.
        c.Execute("UPDATE ticket_merges SET into_id = @into WHERE into_id = @id", tx, ("@into", into), ("@id", id));
        c.Execute("INSERT INTO ticket_merges (ticket_id, into_id, at, actor) VALUES (@id, @into, @at, @actor)", tx, ("@id", id), ("@into", into), ("@at", now.ToDb()), ("@actor", actor));
        TicketSql.AppendHistory(c, tx, into, now, actor, "merged", $"{source.Ref} merged into this ticket: {messages} message(s), {files} attachment(s) and its history moved here");
        Change(c, tx, id, actor, (t, history) =>
        {
            history("merged", $"merged into {target.Ref} ({messages} message(s), {files} attachment(s) moved); status {Names.Of(t.Status)} -> closed");
            return t with { Status = TicketStatus.Closed };
        });
        return TicketSql.Find(c, tx, into)!;
    }
}
