using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Attachments;

/// <summary>The SQL of <c>attachments</c> (schema step 521), for every module that stores a message's files.</summary>
public static class AttachmentSql
{
    private const string Columns = "id, ticket_id, message_id, name, content_type, inline, size, dropped_reason";

    /// <summary>Stores a file of a message (or, with <paramref name="messageId"/> null, of the ticket) in the caller's transaction.</summary>
    public static long Insert(DbConnection connection, DbTransaction transaction, long ticketId, long? messageId, NewAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return (long)CommandCache.Scalar(
            connection,
            transaction,
            """
            INSERT INTO attachments (ticket_id, message_id, name, content_type, content_id, inline, size, content, dropped_reason)
            VALUES (@t, @m, @n, @ct, @cid, @inline, @size, @content, @dropped)
            RETURNING id
            """,
            ("@t", ticketId),
            ("@m", messageId),
            ("@n", attachment.Name),
            ("@ct", attachment.ContentType),
            ("@cid", attachment.ContentId),
            ("@inline", attachment.Inline ? 1 : 0),
            ("@size", attachment.Size),
            ("@content", attachment.Content),
            ("@dropped", attachment.DroppedReason))!;
    }

    /// <summary>The files of a ticket, in the order they were stored.</summary>
    public static IReadOnlyList<Attachment> ForTicket(DbConnection connection, DbTransaction? transaction, long ticketId)
    {
        // Inside the writer's transaction (each operator complaint's notification) the prepared command is reused.
        using var lease = CommandCache.Lease(connection, transaction, $"SELECT {Columns} FROM attachments WHERE ticket_id = @t ORDER BY id", ("@t", ticketId));
        using var reader = lease.Command.ExecuteReader();
        var list = new List<Attachment>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>One file of a ticket with its bytes (null when dropped), or null when the ticket has no such file.</summary>
    public static (Attachment Attachment, byte[]? Content)? Find(DbConnection connection, long ticketId, long id)
    {
        using var command = connection.Command($"SELECT {Columns}, content FROM attachments WHERE ticket_id = @t AND id = @id", null, ("@t", ticketId), ("@id", id));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return (Read(reader), reader.IsDBNull(8) ? null : (byte[])reader.GetValue(8));
    }

    private static Attachment Read(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.Int64OrNull(2), r.StringOrNull(3), r.GetString(4), r.GetInt64(5) != 0, r.GetInt64(6), r.StringOrNull(7));
}
