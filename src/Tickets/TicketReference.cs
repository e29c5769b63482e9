using System.Globalization;

namespace TicketGateway.Tickets;

/// <summary>Turns store keys into the references people see (<c>TG-000123</c>) and back.</summary>
public static class TicketReference
{
    /// <summary>The prefix of every reference.</summary>
    public const string Prefix = "TG-";

    /// <summary>Formats a key as a reference.</summary>
    public static string Format(long id) => Prefix + id.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Reads <c>TG-000123</c> (any case, any zero padding) back to its key.</summary>
    public static bool TryParse(string? text, out long id)
    {
        id = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (!s.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var digits = s[Prefix.Length..];
        return digits.Length is > 0 and <= 18
            && digits.All(char.IsAsciiDigit)
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && id > 0;
    }
}
