using System.CommandLine;
using System.Text.Json.Nodes;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw duty now</c>: who is on duty, and the uncovered hours of the coming week.</summary>
internal sealed class DutyCommands(DutyRoster roster, TimeProvider clock, TimeFormat time, TextWriter output)
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();

    public static Command Create()
    {
        var now = new Command("now", "who is on duty now, and the uncovered hours of the coming week") { JsonOption };
        CliSession.SetAction(now, (p, s) => new DutyCommands(s.Services.GetRequiredService<DutyRoster>(), s.Services.GetRequiredService<TimeProvider>(), s.Time, s.Output).Now(p));
        return new Command("duty", "the duty roster") { now };
    }

    private int Now(ParseResult a)
    {
        var now = clock.GetUtcNow();
        var people = roster.OnDuty(now);
        var gaps = roster.Gaps(now, now + DutyCoverageReport.Horizon);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonObject
            {
                ["at"] = time.Format(now),
                ["onDuty"] = new JsonArray([.. people.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["email"] = p.Email, ["mobile"] = p.Mobile })]),
                ["uncoveredNextWeek"] = new JsonArray([.. gaps.Select(g => (JsonNode)new JsonObject { ["from"] = time.Format(g.From), ["to"] = time.Format(g.To) })]),
            }));
            return 0;
        }

        output.WriteLine($"At {time.Format(now)}:");
        if (people.Count == 0)
        {
            output.WriteLine(roster.People.Count == 0 ? "  nobody is on duty: the roster (Duty:People) is empty." : "  nobody is on duty.");
        }

        foreach (var p in people)
        {
            output.WriteLine($"  {p.Name}  {p.Email ?? "-"}  {p.Mobile ?? "-"}");
        }

        output.WriteLine(gaps.Count == 0
            ? "Every hour of the coming week is covered."
            : "Uncovered in the coming week: " + DutyCoverageReport.Describe(gaps, time.Zone));
        return 0;
    }
}
