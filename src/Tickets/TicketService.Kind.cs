namespace TicketGateway.Tickets;

/// <summary>Changing what a ticket is about.</summary>
public sealed partial class TicketService
{
    /// <summary>
    /// Changes a ticket's kind. Its deadlines are those of the new kind, computed from the accepted time
    /// as if it had been accepted so: the reply deadline of the kind; a complaint gets a level
    /// (<paramref name="level"/>, default 1) and its resolution deadline, any other kind loses both.
    /// Operator complaints stay complaints: the operator filed them as such.
    /// </summary>
    /// <exception cref="TicketException">No such ticket, a level for a kind without one, or an operator complaint.</exception>
    public Task<Ticket> SetKindAsync(string reference, TicketKind kind, int? level, string actor, CancellationToken cancellationToken = default)
    {
        if (kind != TicketKind.Complaint && level is not null)
        {
            throw new TicketException(TicketError.Invalid, $"Only complaints have a level; {Names.Of(kind)} has none.");
        }

        if (level is < 1 or > 4)
        {
            throw new TicketException(TicketError.Invalid, $"Complaint level {level} does not exist; levels are 1, 2, 3 and 4.");
        }

        return ChangeAsync(reference, actor, (t, history) =>
        {
            if (t.Operator is not null || t.Channel == Channel.Operator)
            {
                throw new TicketException(TicketError.Conflict, $"{t.Ref} is an operator complaint; the operator filed it as a complaint, so its kind stays.");
            }

            if (t.Kind == kind && (level is null || t.Level == level))
            {
                return t;
            }

            int? newLevel = kind == TicketKind.Complaint ? level ?? t.Level ?? 1 : null;
            var replyDue = _deadlines.ReplyDue(t.AcceptedAt, kind);
            var resolveDue = newLevel is { } l ? ResolveDue(t.AcceptedAt, l, t.Ref) : (DateTimeOffset?)null;
            history("kind", $"kind {Names.Of(t.Kind)} -> {Names.Of(kind)}; level {t.Level?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} -> {newLevel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}; "
                + $"replyDueAt {Local(t.ReplyDueAt)} -> {Local(replyDue)}; resolveDueAt {Local(t.ResolveDueAt)} -> {Local(resolveDue)}");
            return t with { Kind = kind, Level = newLevel, ReplyDueAt = replyDue, ResolveDueAt = resolveDue };
        }, cancellationToken);
    }
}
