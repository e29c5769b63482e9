using System.Text.RegularExpressions;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>
/// Masks the personal data a log line may carry: mainland mobile numbers keep their first three and
/// last four digits (<c>138****8000</c>), email addresses their first character and domain
/// (<c>w***@example.net</c>). Enough for an engineer to tell two customers apart and find them in the
/// store, not enough to call or write to them from a log.
/// </summary>
internal static partial class PersonalData
{
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Cheap checks first: most lines hold neither an '@' nor a run of eleven digits.
        if (text.Contains('@', StringComparison.Ordinal))
        {
            text = Email().Replace(text, "$1***@$2");
        }

        return Mobile().Replace(text, "$1$2****$3");
    }

    // The local part's first character stays; a domain keeps its dots so the mail system is still told apart.
    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])([A-Za-z0-9_%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // Eleven digits 1[3-9]xxxxxxxxx, optionally after +86 / 86, never inside a longer number (ids, timestamps).
    [GeneratedRegex(@"(?<![0-9])((?:\+?86[- ]?)?)(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Mobile();
}
