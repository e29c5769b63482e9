using System.Text.RegularExpressions;

namespace TicketGateway.Tickets;

/// <summary>
/// Phone numbers as people write them (<c>+86 138 0013 8000</c>, <c>138-0013-8000</c>,
/// <c>0086 13800138000</c>) reduced to one national form (<c>13800138000</c>), so a number matches
/// however it was typed. Mainland China only: the country code 86 (written <c>+86</c>, <c>0086</c> or
/// <c>86</c> before at least 10 more digits) is dropped; any other number keeps all its digits.
/// </summary>
public static partial class PhoneNumber
{
    /// <summary>
    /// True when <paramref name="text"/> is a phone number and nothing else: digits with the usual
    /// separators (spaces, <c>-</c>, <c>.</c>, brackets) and an optional leading <c>+</c>, at least 7 digits.
    /// </summary>
    public static bool LooksLikeOne(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Written().IsMatch(text.Trim()) && text.Count(char.IsAsciiDigit) >= 7;
    }

    /// <summary>The national form: the digits, without a leading mainland country code.</summary>
    public static string National(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            return digits[4..];
        }

        // No mainland number starts with 86 and has 12 digits or more (mobiles have 11 and start
        // with 1, landlines start with the 0 of their area code), so 86 there is the country code.
        return digits.StartsWith("86", StringComparison.Ordinal) && digits.Length >= 12 ? digits[2..] : digits;
    }

    /// <summary>The national form of a number that may be missing: null when there is no number or no digit in it.</summary>
    public static string? NationalOrNull(string? number) =>
        number is null ? null : National(number) is { Length: > 0 } national ? national : null;

    /// <summary>
    /// Every form the store may hold the number in: tickets keep a caller's number as it was given,
    /// with separators removed (<c>+8613800138000</c>, <c>13800138000</c>, <c>008613800138000</c>), so a
    /// lookup by number asks for each of them and uses the index on the column.
    /// </summary>
    public static IReadOnlyList<string> StoredForms(string text)
    {
        var national = National(text);
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return new[] { national, "+86" + national, "86" + national, "0086" + national, "+0086" + national, digits, "+" + digits }
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// The number as it is stored: the digits with an optional leading <c>+</c>, separators (white space,
    /// <c>-</c>, brackets) removed; null when that is not 3 to 20 digits. Tickets and agent accounts
    /// both keep numbers in this form.
    /// </summary>
    public static string? StoredOrNull(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = Separators().Replace(text, "");
        return Stored().IsMatch(digits) ? digits : null;
    }

    [GeneratedRegex(@"^\+?[0-9(][0-9 \-.()]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Written();

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^\+?[0-9]{3,20}\z")]
    private static partial Regex Stored();
}
