using System.Text.RegularExpressions;
using System.Data.Common;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// Finds the ticket a mail belongs to, in this order: the ticket tag in the subject, but only from a
/// participant of that ticket; then In-Reply-To, then References (newest first) matching any
/// Message-ID the ticket sent or received. A tag from anyone else is only a link. A ticket that was
/// merged hands its mail to the ticket it was merged into.
/// </summary>
internal sealed class MailThreader(string tagPrefix)
{
    private readonly Regex _tag = new($@"\[{Regex.Escape(tagPrefix)}-0*([1-9][0-9]{{0,17}})\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public ThreadMatch Find(DbConnection c, DbTransaction tx, InboundMail mail)
    {
        var match = FindDirect(c, tx, mail);
        if (match.TicketId is { } id && TicketService.MergeTarget(c, tx, id) is { } into)
        {
            match = match with { TicketId = into, Rule = $"{match.Rule}; {TicketReference.Format(id)} was merged into {TicketReference.Format(into)}" };
        }

        if (match.StrangerTag is { } tag && TicketService.MergeTarget(c, tx, tag) is { } tagInto)
        {
            match = match with { StrangerTag = tagInto };
        }

        return match;
    }

    private ThreadMatch FindDirect(DbConnection c, DbTransaction tx, InboundMail mail)
    {
        long? strangerTag = null;
        foreach (Match m in _tag.Matches(mail.Subject))
        {
            var id = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (Tickets.Storage.TicketSql.Find(c, tx, id) is null)
            {
                continue;
            }

            if (mail.FromAddress is { } from && IntakeSql.IsParticipant(c, tx, id, from))
            {
                return new ThreadMatch(id, $"tag {TicketReference.Format(id)} from a participant", null);
            }

            strangerTag ??= id;
        }

        if (mail.InReplyTo is { } inReplyTo && IntakeSql.FindMessages(c, tx, [inReplyTo], outboundOnly: false) is [var reply, ..])
        {
            return new ThreadMatch(reply.TicketId, $"in-reply-to <{reply.MessageId}>", strangerTag);
        }

        if (mail.References.Count > 0)
        {
            var found = IntakeSql.FindMessages(c, tx, mail.References, outboundOnly: false);
            for (var i = mail.References.Count - 1; i >= 0; i--)
            {
                var reference = mail.References[i];
                foreach (var f in found)
                {
                    if (f.MessageId == reference)
                    {
                        return new ThreadMatch(f.TicketId, $"references <{reference}>", strangerTag);
                    }
                }
            }
        }

        return new ThreadMatch(null, null, strangerTag);
    }
}

/// <summary>The ticket a mail belongs to (null: none) with the rule that found it, and a ticket a stranger's tag pointed at.</summary>
internal sealed record ThreadMatch(long? TicketId, string? Rule, long? StrangerTag);
