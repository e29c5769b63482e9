namespace TicketGateway.Tickets.Sla;

/// <summary>
/// Computes deadlines as pure functions of (accepted-at, level or kind, calendar data).
/// Levels 1 and 2 run on the clock, 7x24; levels 3 and 4 count only time on working days in the
/// desk's time zone, and a complaint accepted on a day off starts its clock at 00:00 of the next
/// working day.
/// </summary>
public sealed class DeadlineCalculator
{
    // A year has at most ~250 working days; 7 working days never need more than a few weeks of
    // walking, so this bound only stops a calendar that declares every day a holiday.
    private const int MaxDaysWalked = 3 * 366;

    private readonly WorkingCalendar _calendar;
    private readonly TimeZoneInfo _zone;
    private readonly SlaOptions _options;

    /// <summary>Creates a calculator over a calendar, in a time zone, with the configured reply times.</summary>
    public DeadlineCalculator(WorkingCalendar calendar, TimeZoneInfo zone, SlaOptions options)
    {
        _calendar = calendar;
        _zone = zone;
        _options = options;
    }

    /// <summary>The desk's time zone.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>The calendar in force.</summary>
    public WorkingCalendar Calendar => _calendar;

    /// <summary>The resolution deadline of a complaint of <paramref name="level"/> accepted at <paramref name="acceptedAt"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not 1-4.</exception>
    public Deadline ResolveDue(DateTimeOffset acceptedAt, int level) => level switch
    {
        1 => new Deadline(acceptedAt.AddHours(2), []),
        2 => new Deadline(acceptedAt.AddHours(48), []),
        3 => AddWorkingDays(acceptedAt, 4),
        4 => AddWorkingDays(acceptedAt, 7),
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "A complaint level is 1, 2, 3 or 4."),
    };

    /// <summary>The first-reply deadline of a ticket of <paramref name="kind"/>, on the clock.</summary>
    public DateTimeOffset ReplyDue(DateTimeOffset acceptedAt, TicketKind kind) => acceptedAt + _options.FirstReply.For(kind);

    /// <summary>Adds whole working days of working time (24 h each) to an instant.</summary>
    public Deadline AddWorkingDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var warnings = new SortedSet<int>();
        var remaining = TimeSpan.FromDays(days);
        var local = TimeZoneInfo.ConvertTime(start, _zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var offsetInDay = local.DateTime.TimeOfDay;

        for (var walked = 0; walked < MaxDaysWalked; walked++, day = day.AddDays(1))
        {
            if (!_calendar.HasDataFor(day))
            {
                warnings.Add(day.Year);
            }

            if (!_calendar.IsWorkingDay(day))
            {
                // Time on a day off does not count; the clock resumes at 00:00 of the next working day.
                offsetInDay = TimeSpan.Zero;
                continue;
            }

            var available = TimeSpan.FromDays(1) - offsetInDay;
            if (remaining <= available)
            {
                var due = day.ToDateTime(TimeOnly.MinValue) + offsetInDay + remaining;
                return new Deadline(ToInstant(due), [.. warnings.Select(NoDataWarning)]);
            }

            remaining -= available;
            offsetInDay = TimeSpan.Zero;
        }

        throw new InvalidOperationException($"The working calendar has no working day within {MaxDaysWalked} days of {start:O}.");
    }

    private DateTimeOffset ToInstant(DateTime localWallClock)
    {
        // China has no daylight saving time today, but a configured zone may; take the earlier
        // instant of an ambiguous hour and skip forward over an invalid one.
        if (_zone.IsInvalidTime(localWallClock))
        {
            localWallClock = localWallClock.AddHours(1);
        }

        var offset = _zone.IsAmbiguousTime(localWallClock)
            ? _zone.GetAmbiguousTimeOffsets(localWallClock).Max()
            : _zone.GetUtcOffset(localWallClock);
        return new DateTimeOffset(localWallClock, offset);
    }

    private static string NoDataWarning(int year) =>
        $"No working-calendar data for {year}: the deadline counts weekends only, not public holidays or make-up days.";
}
