namespace TicketGateway.Tickets.Sla;

// The on-disk shape of a calendar year (see Calendars/2026.json), as CalendarLoader reads it.
internal sealed class CalendarFile
{
    public int Year { get; set; }

    public string? Source { get; set; }

    public List<HolidayEntry>? Holidays { get; set; }

    public List<WorkdayEntry>? Workdays { get; set; }

    internal sealed class HolidayEntry
    {
        public string? Name { get; set; }

        public string? From { get; set; }

        public string? To { get; set; }
    }

    internal sealed class WorkdayEntry
    {
        public string? Date { get; set; }

        public string? For { get; set; }
    }
}
