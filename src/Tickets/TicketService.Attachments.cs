using TicketGateway.Tickets.Attachments;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets;

/// <summary>The files of a ticket's messages.</summary>
public sealed partial class TicketService
{
    /// <summary>The files of a ticket (every channel's), in the order they were stored.</summary>
    /// <exception cref="TicketException">No such ticket.</exception>
    public IReadOnlyList<Attachment> Attachments(string reference)
    {
        var id = ParseReference(reference);
        return _database.Read(c =>
        {
            _ = TicketSql.Find(c, null, id) ?? throw TicketException.NotFound(reference);
            return AttachmentSql.ForTicket(c, null, id);
        });
    }

    /// <summary>One file of a ticket with its bytes.</summary>
    /// <exception cref="TicketException">No such ticket, the ticket has no such file, or its bytes were dropped.</exception>
    public (Attachment Attachment, byte[] Content) AttachmentContent(string reference, long attachmentId)
    {
        var id = ParseReference(reference);
        var found = _database.Read(c =>
        {
            _ = TicketSql.Find(c, null, id) ?? throw TicketException.NotFound(reference);
            return AttachmentSql.Find(c, id, attachmentId);
        });
        var (attachment, content) = found ?? throw new TicketException(TicketError.NotFound, $"{TicketReference.Format(id)} has no attachment {attachmentId}; 'tickets show {TicketReference.Format(id)}' lists them.");
        return content is null
            ? throw new TicketException(TicketError.Conflict, $"Attachment {attachmentId} of {TicketReference.Format(id)} was dropped ({attachment.Dropped}); only its name and size were kept.")
            : (attachment, content);
    }
}
