using TicketGateway.Tickets.Duty;

namespace TicketGateway.Tickets.Tests.Unit.Quality;

public sealed class DutyRosterTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private static DateTimeOffset At(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.FromHours(8));

    // Day: Li, weekdays 09:00-18:00. Night: Wang, weekdays 18:00-09:00 (over midnight), off on 4 November.
    private static DutyRoster Roster() => new(new DutyOptions
    {
        People =
        [
            new DutyPerson { Name = "李", Email = "li@example.com", Shifts = [new DutyShift { Days = [.. Weekdays.Select(d => d.ToString())], From = TimeSpan.FromHours(9), To = TimeSpan.FromHours(18) }] },
            new DutyPerson
            {
                Name = "王",
                Mobile = "13800000000",
                Shifts = [new DutyShift { Days = [.. Weekdays.Select(d => d.ToString())], From = TimeSpan.FromHours(18), To = TimeSpan.FromHours(9) }],
                Exceptions = [new DutyDateChange { Date = new DateOnly(2026, 11, 4) }],
            },
        ],
    }, Zone);

    [Fact]
    public void OnDuty_OvernightShift_CoversTheNextMorning()
    {
        var roster = Roster();
        Assert.Equal(["李"], roster.OnDuty(At(3, 10)).Select(p => p.Name));     // Tuesday 10:00
        Assert.Equal(["王"], roster.OnDuty(At(3, 20)).Select(p => p.Name));     // Tuesday 20:00
        Assert.Equal(["王"], roster.OnDuty(At(3, 8)).Select(p => p.Name));      // Tuesday 08:00, Monday's night shift
    }

    [Fact]
    public void OnDuty_DayOff_NobodyThatNight()
    {
        Assert.Empty(Roster().OnDuty(At(4, 22)));                                 // Wednesday 22:00: Wang is off
        Assert.Equal(["王"], Roster().OnDuty(At(4, 3)).Select(p => p.Name));     // Tuesday's night shift still runs into Wednesday
    }

    [Fact]
    public void Gaps_WeekWithWeekendAndDayOff_ReportsEachUncoveredSpan()
    {
        // From Monday 2 November 09:00 for 7 days: uncovered are Wednesday 18:00 to Thursday 09:00 (the day off)
        // and Saturday 09:00 (Friday's night shift ends) to Monday 9 November 09:00 (end of range).
        var gaps = Roster().Gaps(At(2, 9), At(9, 9));
        Assert.Equal([(At(4, 18), At(5, 9)), (At(7, 9), At(9, 9))], gaps);
    }

    [Fact]
    public void ShiftsBetween_WednesdayWithDayOff_GivesTuesdaysNightShiftWholeAndTheDayShift()
    {
        // Wednesday 4 November: Wang's Tuesday night shift runs until 09:00, Li works 09:00-18:00, Wang's Wednesday night is off.
        var shifts = Roster().ShiftsBetween(At(4, 0), At(5, 0));
        Assert.Equal([("王", At(3, 18), At(4, 9)), ("李", At(4, 9), At(4, 18))], shifts.Select(s => (s.Person.Name, s.From, s.To)));
    }
}
