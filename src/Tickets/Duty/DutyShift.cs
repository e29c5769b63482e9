namespace TicketGateway.Tickets.Duty;

/// <summary>A regular shift: on these weekdays from <see cref="From"/> to <see cref="To"/> (local time).</summary>
public sealed class DutyShift
{
    /// <summary>The weekdays the shift starts on, by English name (<c>Monday</c> ... <c>Sunday</c>, any case).</summary>
    public List<string> Days { get; set; } = [];

    /// <summary>Start, a time of day.</summary>
    public TimeSpan From { get; set; }

    /// <summary>End; at or before <see cref="From"/> means the next day (so 00:00 to 00:00 is 24 hours).</summary>
    public TimeSpan To { get; set; }

    /// <summary>Whether the shift starts on that weekday.</summary>
    public bool StartsOn(DayOfWeek day) => Days.Any(d => TryParseDay(d, out var parsed) && parsed == day);

    /// <summary>Reads a weekday name; numbers are refused.</summary>
    public static bool TryParseDay(string? text, out DayOfWeek day)
    {
        day = default;
        return !string.IsNullOrWhiteSpace(text) && !char.IsAsciiDigit(text.Trim()[0])
            && Enum.TryParse(text.Trim(), ignoreCase: true, out day) && Enum.IsDefined(day);
    }
}
