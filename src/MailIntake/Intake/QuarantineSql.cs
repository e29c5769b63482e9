using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Intake;

/// <summary>The SQL of <c>mail_quarantine</c>.</summary>
internal static class QuarantineSql
{
    private const string Select = """
        SELECT q.id, q.reason, q.at, q.status, q.ticket_id, q.resolved_at, q.resolved_by,
               i.id, i.folder, i.uid_validity, i.uid, i.message_id, i.from_addr, i.subject, i.size, i.raw_path, i.arrived_at
        FROM mail_quarantine q JOIN mail_inbound i ON i.id = q.inbound_id
        """;

    public static long Insert(DbConnection c, DbTransaction tx, long inboundId, string reason, DateTimeOffset at) =>
        (long)c.Scalar(
            "INSERT INTO mail_quarantine (inbound_id, reason, at, status) VALUES (@i, @r, @at, 'held') RETURNING id",
            tx,
            ("@i", inboundId),
            ("@r", reason),
            ("@at", at.ToDb()))!;

    public static IReadOnlyList<QuarantinedMail> List(DbConnection c, bool all)
    {
        using var command = c.Command(Select + (all ? "" : " WHERE q.status = 'held'") + " ORDER BY q.id");
        return ReadAll(command);
    }

    public static QuarantinedMail? Find(DbConnection c, DbTransaction? tx, long id)
    {
        using var command = c.Command(Select + " WHERE q.id = @id", tx, ("@id", id));
        return ReadAll(command) is [var q] ? q : null;
    }

    public static byte[]? RawBytes(DbConnection c, long inboundId) =>
        c.Scalar("SELECT raw FROM mail_inbound WHERE id = @i", null, ("@i", inboundId)) as byte[];

    public static void Resolve(DbConnection c, DbTransaction tx, long id, string status, long? ticketId, DateTimeOffset at, string by) =>
        c.Execute(
            "UPDATE mail_quarantine SET status = @s, ticket_id = @t, resolved_at = @at, resolved_by = @by WHERE id = @id",
            tx,
            ("@s", status),
            ("@t", ticketId),
            ("@at", at.ToDb()),
            ("@by", by),
            ("@id", id));

    private static List<QuarantinedMail> ReadAll(DbCommand command)
    {
        using var r = command.ExecuteReader();
        var list = new List<QuarantinedMail>();
        while (r.Read())
        {
            list.Add(new QuarantinedMail(
                r.GetInt64(0),
                r.GetString(1),
                r.Instant(2),
                r.GetString(3),
                r.Int64OrNull(4),
                r.InstantOrNull(5),
                r.StringOrNull(6),
                r.GetInt64(7),
                new MailSource(r.GetString(8), r.GetInt64(9), r.GetInt64(10), r.InstantOrNull(16)),
                r.StringOrNull(11),
                r.StringOrNull(12),
                r.StringOrNull(13),
                r.GetInt64(14),
                r.StringOrNull(15)));
        }

        return list;
    }
}

/// <summary>A held (or already retried or discarded) mail and why it was quarantined.</summary>
public sealed record QuarantinedMail(
    long Id,
    string Reason,
    DateTimeOffset At,
    string Status,
    long? TicketId,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    long InboundId,
    MailSource Source,
    string? MessageId,
    string? From,
    string? Subject,
    long Size,
    string? SpoolPath);
