using System.Globalization;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>Shows instants in the desk's time zone as ISO 8601 with offset, and reads them back.</summary>
internal sealed class TimeFormat(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public string Format(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public string? Format(DateTimeOffset? value) => value is { } v ? Format(v) : null;

    /// <summary>Reads ISO 8601; a time without an offset is taken in the desk's zone.</summary>
    public DateTimeOffset Parse(string text, string option)
    {
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var withOffset))
        {
            return withOffset;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var local) && !HasOffset(text))
        {
            var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        }

        throw new CliException($"{option}: '{text}' is not an ISO 8601 time such as 2026-09-30T10:00:00+08:00.");
    }

    private static bool HasOffset(string text)
    {
        var t = text.Trim();
        var timeStart = t.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (timeStart < 0)
        {
            return false;
        }

        var time = t[timeStart..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+', StringComparison.Ordinal) || time.Contains('-', StringComparison.Ordinal);
    }
}
