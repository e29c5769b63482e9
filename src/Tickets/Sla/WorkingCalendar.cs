namespace TicketGateway.Tickets.Sla;

/// <summary>
/// Answers "is this a working day?" from calendar data. Years without data fall back to
/// Monday-Friday, and the answer says so, because a deadline computed that way may be wrong.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<int, CalendarYear> _years;
    private readonly HashSet<DateOnly> _holidays = [];
    private readonly HashSet<DateOnly> _makeUpDays = [];

    /// <summary>Builds a calendar from years of data; a later year replaces an earlier one of the same number.</summary>
    public WorkingCalendar(IEnumerable<CalendarYear> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        _years = [];
        foreach (var y in years)
        {
            _years[y.Year] = y;
        }

        foreach (var y in _years.Values)
        {
            foreach (var h in y.Holidays)
            {
                for (var d = h.From; d <= h.To; d = d.AddDays(1))
                {
                    _holidays.Add(d);
                }
            }

            foreach (var m in y.MakeUpDays)
            {
                _makeUpDays.Add(m.Date);
            }
        }
    }

    /// <summary>The years that have data, in order.</summary>
    public IReadOnlyList<CalendarYear> Years => [.. _years.Values.OrderBy(y => y.Year)];

    /// <summary>The data of one year, or null.</summary>
    public CalendarYear? Year(int year) => _years.GetValueOrDefault(year);

    /// <summary>Whether the calendar has data for the year of <paramref name="date"/>.</summary>
    public bool HasDataFor(DateOnly date) => _years.ContainsKey(date.Year);

    /// <summary>Whether <paramref name="date"/> is a working day.</summary>
    public bool IsWorkingDay(DateOnly date)
    {
        if (_makeUpDays.Contains(date))
        {
            return true;
        }

        if (_holidays.Contains(date))
        {
            return false;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }
}
