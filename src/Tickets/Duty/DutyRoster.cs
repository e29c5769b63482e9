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

    /// <summary>
    /// The shifts (regular ones, or a date's exception instead) that overlap [<paramref name="from"/>,
    /// <paramref name="to"/>), each whole (not cut at the range), by start, then roster order.
    /// </summary>
    public IReadOnlyList<(DutyPerson Person, DateTimeOffset From, DateTimeOffset To)> ShiftsBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var start = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var end = TimeZoneInfo.ConvertTime(to, zone).DateTime;
        return [.. WallShifts(start, end).Where(s => s.To > start && s.From < end).Select(s => (s.Person, Instant(s.From), Instant(s.To)))];
    }

    /// <summary>The spans of [<paramref name="from"/>, <paramref name="to"/>) that nobody covers, merged.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Gaps(DateTimeOffset from, DateTimeOffset to)
    {
        var start = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var end = TimeZoneInfo.ConvertTime(to, zone).DateTime;
        var shifts = WallShifts(start, end);
        var gaps = new List<(DateTimeOffset, DateTimeOffset)>();
        var cursor = start;
        foreach (var (_, f, t) in shifts)
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

    // Every shift starting from the day before start (a night shift reaches into it) to the day of end, in wall time, by start.
    private List<(DutyPerson Person, DateTime From, DateTime To)> WallShifts(DateTime start, DateTime end)
    {
        var shifts = new List<(DutyPerson, DateTime, DateTime)>();
        for (var d = DateOnly.FromDateTime(start).AddDays(-1); d <= DateOnly.FromDateTime(end); d = d.AddDays(1))
        {
            foreach (var p in options.People)
            {
                shifts.AddRange(Shifts(p, d).Select(s => (p, s.From, s.To)));
            }
        }

        // A stable sort: shifts starting together stay in roster order.
        return [.. shifts.OrderBy(s => s.Item2)];
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
