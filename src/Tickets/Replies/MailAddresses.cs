using MimeKit;

namespace TicketGateway.Tickets.Replies;

/// <summary>Small address helpers shared by the reply code.</summary>
internal static class MailAddresses
{
    /// <summary>True for a bare <c>local@domain</c> address with nothing else around it.</summary>
    public static bool IsPlain(string value) =>
        MailboxAddress.TryParse(value, out var mailbox)
        && mailbox.Address == value.Trim()
        && value.Contains('@', StringComparison.Ordinal)
        && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static string Domain(string address) => address[(address.LastIndexOf('@') + 1)..];

    public static string LocalPart(string address) => address[..address.LastIndexOf('@')];

    /// <summary>
    /// Text that goes into a header: control characters (CR, LF, TAB, ...) become spaces, so no
    /// customer-supplied text can start a new header line.
    /// </summary>
    public static string HeaderSafe(string? text, int max = 250)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var chars = text.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        var s = string.Join(' ', new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return s.Length > max ? s[..max] : s;
    }
}
