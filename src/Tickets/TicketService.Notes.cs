using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets;

/// <summary>Internal notes: for agents, never sent to the customer or the operator.</summary>
public sealed partial class TicketService
{
    /// <summary>
    /// Records an internal note on a ticket (a <see cref="MessageDirection.Note"/> message, with a history
    /// line). Nothing is queued: the mail and operator observers send only inbound and outbound messages.
    /// </summary>
    /// <exception cref="TicketException">No such ticket, or the text is empty or too long.</exception>
    public Task<TicketMessage> AddNoteAsync(string reference, string text, string actor, CancellationToken cancellationToken = default)
    {
        var id = ParseReference(reference);
        text = text?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new TicketException(TicketError.Invalid, "A note needs a text.");
        }

        if (text.Length > MaxTextLength)
        {
            throw new TicketException(TicketError.Invalid, $"The note is {text.Length} characters long; the limit is {MaxTextLength}.");
        }

        return _database.WriteAsync((c, tx) =>
        {
            _ = TicketSql.Find(c, tx, id) ?? throw TicketException.NotFound(reference);
            var note = new TicketMessage(0, MessageDirection.Note, _time.GetUtcNow(), actor, null, null, text, null, Automatic: false);
            return note with { Id = AddMessage(c, tx, id, note, actor, "internal note") };
        }, cancellationToken);
    }
}
