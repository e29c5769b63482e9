using System.Data.Common;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Intake;

/// <summary>The SQL of the intake's own tables (schema steps 100-199).</summary>
internal static class IntakeSql
{
    public static bool SeenUid(DbConnection c, DbTransaction tx, MailSource s) =>
        CommandCache.Scalar(
            c,
            tx,
            "SELECT 1 FROM mail_inbound WHERE folder = @f AND uid_validity = @v AND uid = @u",
            ("@f", s.Folder),
            ("@v", s.UidValidity),
            ("@u", s.Uid)) is not null;

    /// <summary>The UIDs of a folder already taken, between two UIDs, each with whether it went to quarantine.</summary>
    public static Dictionary<long, bool> SeenUids(DbConnection c, string folder, long uidValidity, long from, long to)
    {
        using var command = c.Command(
            "SELECT uid, CASE WHEN outcome = 'quarantined' THEN 1 ELSE 0 END FROM mail_inbound WHERE folder = @f AND uid_validity = @v AND uid BETWEEN @a AND @b",
            null,
            ("@f", folder),
            ("@v", uidValidity),
            ("@a", from),
            ("@b", to));
        using var reader = command.ExecuteReader();
        var seen = new Dictionary<long, bool>();
        while (reader.Read())
        {
            seen[reader.GetInt64(0)] = reader.GetInt64(1) != 0;
        }

        return seen;
    }

    /// <summary>An earlier taking of the same mail (same Message-ID and body), and its ticket.</summary>
    public static (long InboundId, long? TicketId)? FindDuplicate(DbConnection c, DbTransaction tx, string messageId, string hash, long? except)
    {
        var command = CommandCache.Get(
            c,
            tx,
            """
            SELECT id, ticket_id FROM mail_inbound
            WHERE message_id = @m AND content_hash = @h AND outcome <> 'quarantined' AND id <> @x
            ORDER BY id LIMIT 1
            """,
            ("@m", messageId),
            ("@h", hash),
            ("@x", except ?? 0));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.Int64OrNull(1)) : null;
    }

    /// <summary>Mails a person sent since a time (robots and duplicates not counted).</summary>
    public static long CountFromSender(DbConnection c, DbTransaction tx, string from, DateTimeOffset since) =>
        (long)CommandCache.Scalar(
            c,
            tx,
            "SELECT COUNT(*) FROM mail_inbound WHERE from_addr = @f AND received_at >= @s AND automated = 0 AND outcome NOT IN ('duplicate', 'ownloop')",
            ("@f", from),
            ("@s", since.ToDb()))!;

    public static long InsertInbound(DbConnection c, DbTransaction tx, InboundRow row) =>
        (long)CommandCache.Scalar(
            c,
            tx,
            """
            INSERT INTO mail_inbound (folder, uid_validity, uid, message_id, content_hash, from_addr, subject,
                received_at, arrived_at, size, raw, raw_path, html, outcome, rule, ticket_id, message_row_id,
                automated, bounce, own_loop, rate_limited)
            VALUES (@f, @v, @u, @mid, @hash, @from, @subject, @at, @arrived, @size, @raw, @path, @html, @outcome, @rule,
                @ticket, @msg, @auto, @bounce, @own, @rate)
            RETURNING id
            """,
            [.. RowParameters(row)])!;

    /// <summary>When the gateway first saw a mail it already recorded (a quarantined one being retried).</summary>
    public static DateTimeOffset ReceivedAt(DbConnection c, DbTransaction tx, long id) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)c.Scalar("SELECT received_at FROM mail_inbound WHERE id = @id", tx, ("@id", id))!);

    /// <summary>Rewrites what a retried quarantined mail turned into; when it arrived and was first seen stay as recorded.</summary>
    public static void UpdateInbound(DbConnection c, DbTransaction tx, long id, InboundRow row) =>
        c.Execute(
            """
            UPDATE mail_inbound SET message_id = @mid, from_addr = @from, subject = @subject, html = @html,
                outcome = @outcome, rule = @rule, ticket_id = @ticket, message_row_id = @msg,
                automated = @auto, bounce = @bounce, own_loop = @own, rate_limited = @rate
            WHERE id = @id
            """,
            tx,
            [.. RowParameters(row), ("@id", id)]);

    /// <summary>Our outbound messages (any of the given Message-IDs, with or without angle brackets).</summary>
    public static List<(long MessageRowId, long TicketId, string MessageId)> FindMessages(DbConnection c, DbTransaction tx, IReadOnlyList<string> messageIds, bool outboundOnly)
    {
        var result = new List<(long, long, string)>();
        if (messageIds.Count == 0)
        {
            return result;
        }

        var names = new List<string>();
        var parameters = new List<(string, object?)>();
        for (var i = 0; i < messageIds.Count && i < 100; i++)
        {
            names.Add($"@a{i}, @b{i}");
            parameters.Add(($"@a{i}", messageIds[i]));
            parameters.Add(($"@b{i}", $"<{messageIds[i]}>"));
        }

        var command = CommandCache.Get(
            c,
            tx,
            $"SELECT id, ticket_id, message_id FROM messages WHERE message_id IN ({string.Join(", ", names)})"
            + (outboundOnly ? " AND direction = 'outbound'" : ""),
            [.. parameters]);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2).Trim('<', '>')));
        }

        return result;
    }

    /// <summary>Whether an address took part in a ticket: its customer, or the sender or recipient of one of its messages.</summary>
    public static bool IsParticipant(DbConnection c, DbTransaction tx, long ticketId, string address) =>
        CommandCache.Scalar(
            c,
            tx,
            """
            SELECT 1 FROM tickets WHERE id = @t AND LOWER(customer_email) = @a
            UNION ALL
            SELECT 1 FROM messages WHERE ticket_id = @t AND (LOWER(from_addr) = @a OR LOWER(to_addr) = @a)
            LIMIT 1
            """,
            ("@t", ticketId),
            ("@a", address)) is not null;

    public static long? LastMessageId(DbConnection c, DbTransaction tx, long ticketId) =>
        (long?)CommandCache.Scalar(c, tx, "SELECT MAX(id) FROM messages WHERE ticket_id = @t", ("@t", ticketId));

    public static (long UidValidity, long LastUid)? FolderState(DbConnection c, string folder)
    {
        using var command = c.Command("SELECT uid_validity, last_uid FROM mail_folders WHERE folder = @f", null, ("@f", folder));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public static void SetFolderState(DbConnection c, DbTransaction tx, string folder, long uidValidity, long lastUid, DateTimeOffset now) =>
        c.Execute(
            """
            INSERT INTO mail_folders (folder, uid_validity, last_uid, updated_at) VALUES (@f, @v, @u, @now)
            ON CONFLICT (folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at
            """,
            tx,
            ("@f", folder),
            ("@v", uidValidity),
            ("@u", lastUid),
            ("@now", now.ToDb()));

    /// <summary>Raises a folder's last UID, never lowers it; only under the UIDVALIDITY it was recorded with.</summary>
    public static void AdvanceLastUid(DbConnection c, DbTransaction tx, MailSource s, DateTimeOffset now) =>
        c.Execute(
            "UPDATE mail_folders SET last_uid = @u, updated_at = @now WHERE folder = @f AND uid_validity = @v AND last_uid < @u",
            tx,
            ("@f", s.Folder),
            ("@v", s.UidValidity),
            ("@u", s.Uid),
            ("@now", now.ToDb()));

    private static IEnumerable<(string, object?)> RowParameters(InboundRow r) =>
    [
        ("@f", r.Source.Folder),
        ("@v", r.Source.UidValidity),
        ("@u", r.Source.Uid),
        ("@mid", r.MessageId),
        ("@hash", r.ContentHash),
        ("@from", r.From),
        ("@subject", r.Subject),
        ("@at", r.ReceivedAt.ToDb()),
        ("@arrived", r.Source.ArrivedAt.ToDb()),
        ("@size", r.Raw.Size),
        ("@raw", r.Raw.Bytes),
        ("@path", r.Raw.SpoolPath),
        ("@html", r.Html),
        ("@outcome", Names.Of(r.Outcome)),
        ("@rule", r.Rule),
        ("@ticket", r.TicketId),
        ("@msg", r.MessageRowId),
        ("@auto", r.Classification.IsAutomated ? 1 : 0),
        ("@bounce", r.Classification.IsBounce ? 1 : 0),
        ("@own", r.Classification.IsOwnLoop ? 1 : 0),
        ("@rate", r.Classification.IsRateLimited ? 1 : 0),
    ];
}

/// <summary>One <c>mail_inbound</c> row.</summary>
internal sealed record InboundRow(
    MailSource Source,
    string? MessageId,
    string ContentHash,
    string? From,
    string? Subject,
    DateTimeOffset ReceivedAt,
    RawMail Raw,
    string? Html,
    MailOutcome Outcome,
    string? Rule,
    long? TicketId,
    long? MessageRowId,
    Parsing.MailClassification Classification);
