using System.Text.Json.Serialization;

namespace TicketGateway.Tickets.Sla;

// The on-disk shape of a calendar year; see Calendars/2026.json.
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

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(CalendarFile))]
internal sealed partial class CalendarJsonContext : JsonSerializerContext;
