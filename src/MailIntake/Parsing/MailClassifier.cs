using MimeKit;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Parsing;

/// <summary>
/// Tells robots, lists, bounces and our own mail from people, by headers and structure: the one rule
/// set of the gateway. The intake decides with it what a mail may open, and the reply side whether
/// it may be answered automatically or taken for an agent's (<see cref="IncomingMail.IsAutomated"/>).
/// </summary>
public static class MailClassifier
{
    /// <summary>The header our outgoing mail carries, so it is recognised when it comes back.</summary>
    public const string LoopHeader = Outbox.LoopHeader;

    /// <summary>Classifies a parsed mail; <see cref="MailClassification.IsRateLimited"/> is decided later, against the store.</summary>
    public static MailClassification Classify(MimeMessage message, string ourDomain, string? supportAddress = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var reasons = new List<string>();
        var h = message.Headers;
        var autoReply = false;
        var list = false;
        var bounce = false;

        // RFC 3834: any value but "no" marks mail sent by a machine ("no-reply" is not "no").
        if (h[HeaderId.AutoSubmitted] is { } autoSubmitted && !autoSubmitted.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add($"Auto-Submitted: {autoSubmitted.Trim()}");
            autoReply |= autoSubmitted.Contains("auto-replied", StringComparison.OrdinalIgnoreCase);
        }

        var precedence = h[HeaderId.Precedence]?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list")
        {
            reasons.Add($"Precedence: {precedence}");
            list |= precedence is "bulk" or "list";
        }

        foreach (var name in (string[])["X-Autoreply", "X-Autorespond"])
        {
            if (h.Contains(name))
            {
                reasons.Add(name);
                autoReply = true;
            }
        }

        if (h.Contains(HeaderId.ListId))
        {
            reasons.Add("List-Id");
            list = true;
        }

        if (h[HeaderId.ReturnPath] is { } returnPath && returnPath.Trim() is "<>" or "")
        {
            reasons.Add("empty Return-Path");
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.LocalPart?.ToLowerInvariant();
        if (from is "mailer-daemon" or "postmaster")
        {
            reasons.Add($"sender {from}");
            bounce = true;
        }

        if (message.Body is MultipartReport report)
        {
            reasons.Add($"multipart/report ({report.ReportType})");
            bounce |= string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase);
        }

        // Mail from the support address is ours, whatever its Message-ID. A Message-ID in our domain
        // alone is not enough: agents' and colleagues' mail clients use it too; the outbox's is 32 hex digits.
        var ownLoop = h.Contains(LoopHeader)
            || (supportAddress is not null && string.Equals(message.From.Mailboxes.FirstOrDefault()?.Address?.Trim(), supportAddress.Trim(), StringComparison.OrdinalIgnoreCase))
            || (ourDomain.Length > 0 && message.MessageId is { } mid && mid.LastIndexOf('@') is var at and >= 0 && mid[(at + 1)..].Equals(ourDomain, StringComparison.OrdinalIgnoreCase)
                && IsOutboxId(mid[..at]));
        if (ownLoop)
        {
            reasons.Add("our own mail");
        }

        return reasons.Count == 0
            ? MailClassification.Person
            : new MailClassification(reasons.Count > (ownLoop ? 1 : 0), autoReply, bounce, list, ownLoop, false, string.Join(", ", reasons));
    }

    /// <summary>For a delivery report: the Message-IDs of the mail it returns, and its status line.</summary>
    public static (IReadOnlyList<string> MessageIds, string? Detail) Bounced(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ids = new List<string>();
        string? detail = null;
        foreach (var part in Walk(message.Body))
        {
            switch (part)
            {
                case MessageDeliveryStatus status:
                    detail ??= Describe(status);
                    break;
                case MessagePart { Message: { } returned }:
                    if (returned.MessageId is { Length: > 0 } id)
                    {
                        ids.Add(id);
                    }

                    break;
            }
        }

        // Some servers return no original; the report then usually answers it.
        if (ids.Count == 0 && message.InReplyTo is { Length: > 0 } inReplyTo)
        {
            ids.Add(inReplyTo);
        }

        return (ids, detail);
    }

    private static string? Describe(MessageDeliveryStatus status)
    {
        foreach (var group in status.StatusGroups.Skip(1))
        {
            var recipient = group["Final-Recipient"]?.Trim();
            var code = group["Status"]?.Trim();
            var diagnostic = group["Diagnostic-Code"]?.Trim();
            return string.Join("; ", new[] { recipient, code is null ? null : "status " + code, diagnostic }.Where(s => !string.IsNullOrEmpty(s)));
        }

        return null;
    }

    private static IEnumerable<MimeEntity> Walk(MimeEntity? entity)
    {
        if (entity is null)
        {
            yield break;
        }

        yield return entity;
        if (entity is Multipart multipart)
        {
            foreach (var child in multipart)
            {
                foreach (var e in Walk(child))
                {
                    yield return e;
                }
            }
        }
    }

    private static bool IsOutboxId(string local) => local.Length == 32 && local.All(char.IsAsciiHexDigit);
}
