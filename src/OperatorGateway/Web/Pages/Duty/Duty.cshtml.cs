using System.Globalization;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.OperatorGateway.Web.Pages.Duty;

/// <summary>
/// Who is on duty now and the coming week's coverage, day by day, with the uncovered hours marked:
/// the <see cref="DutyRoster"/> and the horizon <c>duty now</c> uses, so the page and the command agree.
/// </summary>
internal sealed class DutyModel(DutyRoster roster, TimeProvider clock) : WebPageModel
{
    /// <summary>The timeline's width in pixels for 24 hours.</summary>
    public const int DayWidth = 480;

    public DateTimeOffset Now { get; private set; }

    public IReadOnlyList<DutyPerson> OnDuty { get; private set; } = [];

    public bool RosterEmpty => roster.People.Count == 0;

    /// <summary>Every uncovered span of the coming week, as <c>duty now</c> reports it.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Gaps { get; private set; } = [];

    public IReadOnlyList<DutyDay> Days { get; private set; } = [];

    public string GapsText => DutyCoverageReport.Describe(Gaps, roster.Zone);

    public void OnGet()
    {
        Now = clock.GetUtcNow();
        var end = Now + DutyCoverageReport.Horizon;
        OnDuty = roster.OnDuty(Now);
        Gaps = roster.Gaps(Now, end);
        var days = new List<DutyDay>();
        for (var day = DateOnly.FromDateTime(Wall(Now)); day <= DateOnly.FromDateTime(Wall(end)); day = day.AddDays(1))
        {
            var midnight = Instant(day.ToDateTime(TimeOnly.MinValue));
            var from = midnight > Now ? midnight : Now;
            var next = Instant(day.AddDays(1).ToDateTime(TimeOnly.MinValue));
            var to = next < end ? next : end;
            if (from < to)
            {
                days.Add(new DutyDay(day, from, to, roster.ShiftsBetween(from, to), roster.Gaps(from, to)));
            }
        }

        Days = days;
    }

    /// <summary>A time of the day as <c>HH:mm</c>, or with its date when it is on another day.</summary>
    public string Clock(DateTimeOffset at, DateOnly day)
    {
        var wall = Wall(at);
        var date = DateOnly.FromDateTime(wall);
        return date == day ? wall.ToString("HH:mm", CultureInfo.InvariantCulture)
            : date == day.AddDays(1) && wall.TimeOfDay == TimeSpan.Zero ? "24:00"
            : wall.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>Where an instant falls on the day's timeline, in pixels (clamped to the day).</summary>
    public static int X(DateTimeOffset at, DutyDay day, Func<DateTimeOffset, DateTime> wall)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(wall);
        var minutes = (wall(at) - day.Date.ToDateTime(TimeOnly.MinValue)).TotalMinutes;
        return (int)Math.Round(Math.Clamp(minutes, 0, 1440) * DayWidth / 1440);
    }

    public DateTime Wall(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, roster.Zone).DateTime;

    public string Local(DateTimeOffset at) => Wall(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private DateTimeOffset Instant(DateTime wall) => new(wall, roster.Zone.GetUtcOffset(wall));
}
