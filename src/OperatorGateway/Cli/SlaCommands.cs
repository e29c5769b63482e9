using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets.Sla;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw sla due</c> and <c>ticketgw calendar show</c>.</summary>
internal sealed class SlaCommands(DeadlineCalculator deadlines, TimeFormat time, TextWriter output, TextWriter error)
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Option<string?> Level = CliSymbols.Value("--level", "N", "the complaint level, 1-4 (required)");
    private static readonly Option<string?> Accepted = CliSymbols.Value("--accepted", "ISO8601", "when the complaint was accepted (required): " + TimeFormat.Help);
    private static readonly Argument<string> Year = CliSymbols.Argument("YEAR", "the year");

    public static Command CreateSla()
    {
        // Needs no store: the session opens none unless a command asks for it.
        var due = new Command("due", "print the resolution deadline of a complaint") { Level, Accepted };
        CliSession.SetAction(due, (p, s) => From(s).Due(p), warmStore: false);
        return new Command("sla", "service-level deadlines") { due };
    }

    public static Command CreateCalendar()
    {
        var show = new Command("show", "holidays and make-up working days in force") { Year, JsonOption };
        CliSession.SetAction(show, (p, s) => From(s).ShowCalendar(p), warmStore: false);
        return new Command("calendar", "the working calendar") { show };
    }

    private static SlaCommands From(CliSession s) => new(s.Services.GetRequiredService<DeadlineCalculator>(), s.Time, s.Output, s.Error);

    private int Due(ParseResult a)
    {
        var levelText = a.Required(Level);
        if (!int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < 1 or > 4)
        {
            throw new CliException($"sla due: --level '{levelText}' is not a complaint level; levels are 1, 2, 3 and 4.");
        }

        var accepted = time.Parse(a.Required(Accepted), "sla due --accepted");
        var deadline = deadlines.ResolveDue(accepted, level);
        foreach (var warning in deadline.Warnings)
        {
            error.WriteLine("warning: " + warning);
        }

        output.WriteLine(time.Format(deadline.DueAt));
        return 0;
    }

    private int ShowCalendar(ParseResult a)
    {
        var yearText = a.GetValue(Year)!;
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2200)
        {
            throw new CliException($"calendar show: '{yearText}' is not a year between 2000 and 2200.");
        }

        var data = deadlines.Calendar.Year(year)
            ?? throw new CliException($"calendar show: no calendar data for {year}; deadlines that year count weekends only. Add a file to Sla:CalendarFiles.");
        if (a.GetValue(JsonOption))
        {
            var json = new JsonObject
            {
                ["year"] = data.Year,
                ["source"] = data.Source,
                ["holidays"] = new JsonArray([.. data.Holidays.Select(h => (JsonNode)new JsonObject
                {
                    ["name"] = h.Name,
                    ["from"] = h.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["to"] = h.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                })]),
                ["workdays"] = new JsonArray([.. data.MakeUpDays.Select(m => (JsonNode)new JsonObject
                {
                    ["date"] = m.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["for"] = m.For,
                })]),
            };
            output.WriteLine(TicketJson.Write(json));
            return 0;
        }

        output.WriteLine($"Working calendar {data.Year} ({data.Source})");
        output.WriteLine("Weekends are off unless listed as make-up working days.");
        var table = new TextTable("KIND", "FROM", "TO", "DAYS", "NAME");
        foreach (var h in data.Holidays)
        {
            table.Add("holiday", D(h.From), D(h.To), (h.To.DayNumber - h.From.DayNumber + 1).ToString(CultureInfo.InvariantCulture), h.Name);
        }

        foreach (var m in data.MakeUpDays)
        {
            table.Add("workday", D(m.Date), D(m.Date), "1", $"{m.Date.DayOfWeek} worked for {m.For}");
        }

        output.Write(table.ToString());
        return 0;
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd ddd", CultureInfo.InvariantCulture);
}
