using System.Net.Mail;

namespace TicketGateway.Tickets.Replies;

/// <summary>Small address helpers shared by the reply code.</summary>
internal static class MailAddresses
{
    /// <summary>True for a bare <c>local@domain</c> address with nothing else around it.</summary>
    /// <remarks>The BCL's RFC 5322 parser: the domain knows no mail format library.</remarks>
    public static bool IsPlain(string value) =>
        value.Contains('@', StringComparison.Ordinal)
        && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && MailAddress.TryCreate(value, out var parsed)
        && parsed.DisplayName.Length == 0
        && parsed.Address == value;

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
