using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>Shows instants in the desk's time zone as ISO 8601 with offset, and reads them back.</summary>
internal sealed partial class TimeFormat(TimeZoneInfo zone)
{
    /// <summary>What every time option's help says about the values it takes.</summary>
    public const string Help = "ISO 8601 date and time with 'T', e.g. 2026-09-30T10:00+08:00 or 2026-09-30T02:00:00Z; "
        + "without an offset (2026-09-30T10:00) it is read in Sla:TimeZone, never in the machine's zone";

    public TimeZoneInfo Zone => zone;

    public string Format(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public string? Format(DateTimeOffset? value) => value is { } v ? Format(v) : null;

    /// <summary>
    /// Reads strict ISO 8601 (extended format, date and time joined by 'T'); a time without an offset
    /// is taken in the desk's zone. Nothing goes through the machine's zone: DateTime.TryParse would
    /// convert a time with an offset into it.
    /// </summary>
    public DateTimeOffset Parse(string text, string option)
    {
        var m = Iso8601().Match(text);
        if (!m.Success || !DateTime.TryParseExact(m.Groups["local"].Value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            throw new CliException($"{option}: '{text}' is not an ISO 8601 time such as 2026-09-30T10:00:00+08:00.");
        }

        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        var offsetText = m.Groups["offset"].Value;
        if (offsetText.Length == 0)
        {
            if (zone.IsInvalidTime(wall))
            {
                throw new CliException($"{option}: '{text}' does not exist in {zone.Id} (the clocks skip it); give the offset.");
            }

            return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        }

        var offset = offsetText is "Z" or "z"
            ? TimeSpan.Zero
            : new TimeSpan(int.Parse(offsetText[1..3], CultureInfo.InvariantCulture), int.Parse(offsetText[4..6], CultureInfo.InvariantCulture), 0) * (offsetText[0] == '-' ? -1 : 1);
        if (offset.Duration() > TimeSpan.FromHours(14))
        {
            throw new CliException($"{option}: '{text}' has an offset beyond ±14:00.");
        }

        return new DateTimeOffset(wall, offset);
    }

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)(?<offset>[Zz]|[+-]\d{2}:\d{2})?\z")]
    private static partial Regex Iso8601();
}
