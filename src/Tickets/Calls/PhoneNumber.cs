namespace TicketGateway.Tickets.Calls;

/// <summary>Phone numbers compared however they were written (<c>+86 138 0013 8000</c>, <c>13800138000</c>).</summary>
public static class PhoneNumber
{
    /// <summary>
    /// The digits of a number in national form: separators dropped, and the country code of mainland
    /// China (<c>+86</c>, <c>0086</c>, <c>86</c>) dropped before an 11-digit mobile number. Null when
    /// there are no digits.
    /// </summary>
    public static string? National(string? number)
    {
        if (number is null)
        {
            return null;
        }

        var digits = new string([.. number.Where(char.IsAsciiDigit)]);
        foreach (var prefix in (ReadOnlySpan<string>)["0086", "86"])
        {
            if (digits.Length == prefix.Length + 11 && digits.StartsWith(prefix, StringComparison.Ordinal) && digits[prefix.Length] == '1')
            {
                return digits[prefix.Length..];
            }
        }

        return digits.Length == 0 ? null : digits;
    }
}
