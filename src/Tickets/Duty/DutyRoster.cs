namespace TicketGateway.Tickets.Duty;

/// <summary>Who is on duty when, and which hours nobody covers. Times are wall-clock times in the desk's zone.</summary>
public sealed class DutyRoster(DutyOptions options, TimeZoneInfo zone)
{
    /// <summary>Everyone on the roster.</summary>
    public IReadOnlyList<DutyPerson> People => options.People;

    /// <summary>The desk's time zone.</summary>
    public TimeZoneInfo Zone => zone;

    /// <summary>The people on duty at an instant, in roster order.</summary>
    public IReadOnlyList<DutyPerson> OnDuty(DateTimeOffset at)
    {
        var wall = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var today = DateOnly.FromDateTime(wall);
        return [.. options.People.Where(p =>
            Shifts(p, today.AddDays(-1)).Concat(Shifts(p, today)).Any(s => s.From <= wall && wall < s.To))];
    }

    /// <summary>The spans of [<paramref name="from"/>, <paramref name="to"/>) that nobody covers, merged.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Gaps(DateTimeOffset from, DateTimeOffset to)
    {
        var start = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var end = TimeZoneInfo.ConvertTime(to, zone).DateTime;
        var shifts = new List<(DateTime From, DateTime To)>();
        for (var d = DateOnly.FromDateTime(start).AddDays(-1); d <= DateOnly.FromDateTime(end); d = d.AddDays(1))
        {
            foreach (var p in options.People)
            {
                shifts.AddRange(Shifts(p, d));
            }
        }

        var gaps = new List<(DateTimeOffset, DateTimeOffset)>();
        var cursor = start;
        foreach (var (f, t) in shifts.OrderBy(s => s.From))
        {
            if (t <= cursor)
            {
                continue;
            }

            if (f > cursor)
            {
                var gapEnd = f < end ? f : end;
                if (gapEnd > cursor)
                {
                    gaps.Add((Instant(cursor), Instant(gapEnd)));
                }
            }

            if (t > cursor)
            {
                cursor = t;
            }

            if (cursor >= end)
            {
                break;
            }
        }

        if (cursor < end)
        {
            gaps.Add((Instant(cursor), Instant(end)));
        }

        return gaps;
    }

    private static IEnumerable<(DateTime From, DateTime To)> Shifts(DutyPerson person, DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        var exception = person.Exceptions.FirstOrDefault(e => e.Date == day);
        if (exception is not null)
        {
            if (exception.From is { } f && exception.To is { } t)
            {
                yield return Span(midnight, f, t);
            }

            yield break;
        }

        foreach (var s in person.Shifts.Where(s => s.StartsOn(day.DayOfWeek)))
        {
            yield return Span(midnight, s.From, s.To);
        }
    }

    private static (DateTime, DateTime) Span(DateTime midnight, TimeSpan from, TimeSpan to) =>
        (midnight + from, midnight + to + (to <= from ? TimeSpan.FromDays(1) : TimeSpan.Zero));

    private DateTimeOffset Instant(DateTime wall) => new(wall, zone.GetUtcOffset(wall));
}
