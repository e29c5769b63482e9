using System.Globalization;

namespace TicketGateway.Tickets.Kpis;

/// <summary>A calendar month in the desk's time zone, as the half-open instant range [Start, End).</summary>
public sealed record KpiMonth(int Year, int Month, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The month as <c>YYYY-MM</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <summary>Reads <c>YYYY-MM</c>; null when the text is not a month.</summary>
    public static KpiMonth? TryParse(string text, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!DateTime.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return null;
        }

        return Of(first.Year, first.Month, zone);
    }

    /// <summary>The month of a year in the zone.</summary>
    public static KpiMonth Of(int year, int month, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var start = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var end = start.AddMonths(1);
        return new KpiMonth(year, month, Midnight(start, zone), Midnight(end, zone));
    }

    /// <summary>The month after this one.</summary>
    public KpiMonth Next(TimeZoneInfo zone) => Month == 12 ? Of(Year + 1, 1, zone) : Of(Year, Month + 1, zone);

    /// <summary>The days of the month, as local dates.</summary>
    public IEnumerable<DateOnly> Days()
    {
        var first = new DateOnly(Year, Month, 1);
        for (var d = first; d.Month == Month; d = d.AddDays(1))
        {
            yield return d;
        }
    }

    private static DateTimeOffset Midnight(DateTime wall, TimeZoneInfo zone)
    {
        // A zone that skips midnight on a DST change starts the day at the first valid minute.
        while (zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(15);
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
