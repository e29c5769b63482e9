using TicketGateway.Tickets.Sla;

namespace TicketGateway.Tickets.Tests.Unit.Sla;

// Expected deadlines are counted by hand on the 2026 State Council calendar; the comments show the walk.
public sealed class DeadlineCalculatorTests
{
    private static readonly SlaOptions Options = new();
    private static readonly DeadlineCalculator Calculator = new(CalendarLoader.Load([]), Options.Zone(), Options);

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void ResolveDue_Level1_IsTwoClockHoursEvenOnAHoliday()
    {
        var due = Calculator.ResolveDue(At("2026-10-03T23:30:00+08:00"), 1);
        Assert.Equal(At("2026-10-04T01:30:00+08:00"), due.DueAt);
        Assert.Empty(due.Warnings);
    }

    [Fact]
    public void ResolveDue_Level2_IsFortyEightClockHoursAcrossNationalDay()
    {
        var due = Calculator.ResolveDue(At("2026-09-30T10:00:00+08:00"), 2);
        Assert.Equal(At("2026-10-02T10:00:00+08:00"), due.DueAt);
    }

    [Fact]
    public void ResolveDue_Level3AcceptedBeforeNationalDay_SkipsHolidayAndCountsMakeUpDay()
    {
        // Sep 30 10-24h = 14h; Oct 1-7 off; Oct 8, 9 and Saturday Oct 10 (make-up) = 72h; Sunday off; Oct 12 +10h = 96h.
        var due = Calculator.ResolveDue(At("2026-09-30T10:00:00+08:00"), 3);
        Assert.Equal(At("2026-10-12T10:00:00+08:00"), due.DueAt);
        Assert.Empty(due.Warnings);
    }

    [Fact]
    public void ResolveDue_Level3GivenInUtc_IsTheSameInstant()
    {
        var due = Calculator.ResolveDue(At("2026-09-30T02:00:00Z"), 3);
        Assert.Equal(At("2026-10-12T10:00:00+08:00"), due.DueAt);
    }

    [Fact]
    public void ResolveDue_Level3AcceptedOnAHoliday_StartsAtMidnightOfNextWorkingDay()
    {
        // Accepted Sat Oct 3 (holiday): clock starts Thu Oct 8 00:00; Oct 8, 9, 10 (make-up), Sun 11 off, all of Oct 12.
        var due = Calculator.ResolveDue(At("2026-10-03T15:00:00+08:00"), 3);
        Assert.Equal(At("2026-10-13T00:00:00+08:00"), due.DueAt);
    }

    [Fact]
    public void ResolveDue_Level3AcceptedBeforeAMakeUpSunday_CountsTheSunday()
    {
        // Fri Sep 18 09:00: 15h; Sat off; Sun Sep 20 is a make-up working day (24h); Mon, Tue (48h); Wed +9h = 96h.
        var due = Calculator.ResolveDue(At("2026-09-18T09:00:00+08:00"), 3);
        Assert.Equal(At("2026-09-23T09:00:00+08:00"), due.DueAt);
    }

    [Fact]
    public void ResolveDue_Level3AcceptedOnAWeekend_StartsMonday()
    {
        // Sat Nov 28 20:00: clock starts Mon Nov 30 00:00; four whole days end at Fri Dec 4 00:00.
        var due = Calculator.ResolveDue(At("2026-11-28T20:00:00+08:00"), 3);
        Assert.Equal(At("2026-12-04T00:00:00+08:00"), due.DueAt);
    }

    [Fact]
    public void ResolveDue_Level3AcceptedOnNewYearsDay_StartsOnTheMakeUpSunday()
    {
        // Jan 1-3 off; Sun Jan 4 is worked; Jan 4, 5, 6, 7 whole days.
        var due = Calculator.ResolveDue(At("2026-01-01T08:00:00+08:00"), 3);
        Assert.Equal(At("2026-01-08T00:00:00+08:00"), due.DueAt);
    }

    [Fact]
    public void ResolveDue_Level4AcrossSpringFestival_SkipsNineDaysAndCountsBothMakeUpSaturdays()
    {
        // Thu Feb 12 14:00: 10h; Fri 13 24h; Sat 14 (make-up) 24h; Feb 15-23 off; Feb 24-27 96h (=154h); Sat 28 (make-up) +14h = 168h.
        var due = Calculator.ResolveDue(At("2026-02-12T14:00:00+08:00"), 4);
        Assert.Equal(At("2026-02-28T14:00:00+08:00"), due.DueAt);
    }

    [Fact]
    public void ResolveDue_Level4AcrossYearEndWithoutNextYearData_CountsWeekendsOnlyAndWarns()
    {
        // Tue Dec 29 09:00: 15h; Dec 30, 31 (63h); 2027 has no data: Fri Jan 1 counts (87h); weekend; Jan 4-6 (159h); Thu Jan 7 +9h.
        var due = Calculator.ResolveDue(At("2026-12-29T09:00:00+08:00"), 4);
        Assert.Equal(At("2027-01-07T09:00:00+08:00"), due.DueAt);
        var warning = Assert.Single(due.Warnings);
        Assert.Contains("2027", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveDue_Level4AcrossYearEndWithNextYearFile_SkipsNewYearWithoutWarning()
    {
        var calendar = CalendarLoader.Load([Path.Combine(AppContext.BaseDirectory, "TestData", "calendar-2027-test.json")]);
        var calculator = new DeadlineCalculator(calendar, Options.Zone(), Options);
        // As above, but Jan 1-3 2027 are off: Jan 4-7 (159h), Fri Jan 8 +9h.
        var due = calculator.ResolveDue(At("2026-12-29T09:00:00+08:00"), 4);
        Assert.Equal(At("2027-01-08T09:00:00+08:00"), due.DueAt);
        Assert.Empty(due.Warnings);
    }

    [Fact]
    public void ResolveDue_Level3InAYearWithoutData_CountsWeekendsOnlyAndWarns()
    {
        // Mon Mar 4 2030 10:00: 14h, Tue-Thu 72h, Fri +10h.
        var due = Calculator.ResolveDue(At("2030-03-04T10:00:00+08:00"), 3);
        Assert.Equal(At("2030-03-08T10:00:00+08:00"), due.DueAt);
        Assert.Contains(due.Warnings, w => w.Contains("2030", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void ResolveDue_LevelOutsideOneToFour_Throws(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calculator.ResolveDue(At("2026-09-30T10:00:00+08:00"), level));

    [Fact]
    public void ReplyDue_UsesTheConfiguredTimePerKind()
    {
        var options = new SlaOptions { FirstReply = { Fee = TimeSpan.FromMinutes(30) } };
        var calculator = new DeadlineCalculator(CalendarLoader.Load([]), options.Zone(), options);
        var accepted = At("2026-10-01T10:00:00+08:00");
        Assert.Equal(accepted.AddMinutes(30), calculator.ReplyDue(accepted, TicketKind.Fee));
        Assert.Equal(accepted.AddHours(2), calculator.ReplyDue(accepted, TicketKind.Inquiry));
    }
}
