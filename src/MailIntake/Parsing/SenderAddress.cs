using MimeKit;

namespace TicketGateway.MailIntake.Parsing;

/// <summary>
/// Who sent a mail: the addr-spec of the one mailbox its From header names, never text from a display
/// name. A From with several mailboxes, a group or none names no sender we can trust: such mail is
/// neither acknowledged nor ever taken for an agent's. (<c>=?utf-8?Q?V:victim@example.test:_1?= &lt;attacker@evil.test&gt;</c>
/// parses as a group holding victim@example.test: the colon inside the encoded word opens it.)
/// </summary>
public static class SenderAddress
{
    /// <summary>The one sender's mailbox, or null when From names several mailboxes, a group or none.</summary>
    public static MailboxAddress? Of(InternetAddressList from) =>
        from is { Count: 1 } && from[0] is MailboxAddress mailbox && mailbox.Address is { } address && address.Contains('@', StringComparison.Ordinal)
            ? mailbox
            : null;

    /// <summary>The one sender's mailbox of a mail, or null when its From names several mailboxes, a group or none.</summary>
    public static MailboxAddress? Of(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Of(message.From);
    }

    /// <summary>Why a From header names no trusted sender, for the quarantine record; null when it does.</summary>
    public static string? Untrusted(InternetAddressList from)
    {
        ArgumentNullException.ThrowIfNull(from);
        return Of(from) is not null ? null
            : from.Count == 0 ? "The mail has no sender: its From header is missing or names no mailbox."
            : from.Count > 1 ? $"The mail's From header names {from.Count} senders, not one; no acknowledgement goes to an address the mail only claims."
            : from[0] is GroupAddress ? "The mail's From header is a group of addresses, not one sender's mailbox; no acknowledgement goes to an address the mail only claims."
            : "The mail's From header holds no usable address.";
    }
}
