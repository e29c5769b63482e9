namespace TicketGateway.Tickets;

/// <summary>
/// The lower-case names used for enums in storage, JSON and the CLI (<c>email</c>, <c>fee</c>,
/// <c>pending</c>), so a stored value never depends on a C# identifier's casing.
/// </summary>
public static class Names
{
    /// <summary>The lower-case name of an enum value.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>Parses a lower-case (or any-case) name; numbers are refused.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text)
            && !char.IsAsciiDigit(text.Trim()[0])
            && Enum.TryParse(text.Trim(), ignoreCase: true, out value)
            && Enum.IsDefined(value);
    }

    /// <summary>Parses a stored name; a value the code does not know is a corrupt row.</summary>
    public static T Parse<T>(string text)
        where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new InvalidDataException($"Unknown {typeof(T).Name} '{text}' in the store.");

    /// <summary>All names of an enum, for help and error messages.</summary>
    public static string All<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(Of));
}
