using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets.Sla;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw sla due</c> and <c>ticketgw calendar show</c>.</summary>
internal sealed class SlaCommands(DeadlineCalculator deadlines, TimeFormat time, TextWriter output, TextWriter error)
{
    public int Due(IReadOnlyList<string> rest)
    {
        var a = CliArgs.Parse("sla due", rest, ["level", "accepted"], []);
        a.NoMorePositionals(0);
        var levelText = a.Required("level");
        if (!int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < 1 or > 4)
        {
            throw new CliException($"sla due: --level '{levelText}' is not a complaint level; levels are 1, 2, 3 and 4.");
        }

        var accepted = time.Parse(a.Required("accepted"), "sla due --accepted");
        var deadline = deadlines.ResolveDue(accepted, level);
        foreach (var warning in deadline.Warnings)
        {
            error.WriteLine("warning: " + warning);
        }

        output.WriteLine(time.Format(deadline.DueAt));
        return 0;
    }

    public int ShowCalendar(IReadOnlyList<string> rest)
    {
        var a = CliArgs.Parse("calendar show", rest, [], ["json"]);
        a.NoMorePositionals(1);
        var yearText = a.Positional(0, "the year");
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2200)
        {
            throw new CliException($"calendar show: '{yearText}' is not a year between 2000 and 2200.");
        }

        var data = deadlines.Calendar.Year(year)
            ?? throw new CliException($"calendar show: no calendar data for {year}; deadlines that year count weekends only. Add a file to Sla:CalendarFiles.");
        if (a.Flag("json"))
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
