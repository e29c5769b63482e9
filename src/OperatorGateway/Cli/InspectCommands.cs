using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.OperatorGateway.Operations;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw inspect</c>: the daily inspection (巡检) on demand, and <c>inspect history</c>, the kept results.</summary>
internal static class InspectCommands
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Option<bool> HistoryJson = CliSymbols.Json();
    private static readonly Option<string?> Limit = CliSymbols.Value("--limit", "N", "at most N inspections, newest first (default 30)");

    public static Command Create()
    {
        var history = new Command("history", "the kept inspections, newest first: the daily ones of serve (Operations:InspectionTime) and those run by hand; --json gives every check")
        {
            Limit, HistoryJson,
        };
        CliSession.SetAction(history, (p, s) => History(p, s));
        var inspect = new Command("inspect", "run every check now (store, disks, IMAP, SMTP, operator endpoints, stuck queues, quarantine, deadlines, calendar, certificates, duty roster), keep the result and print check, result (ok, warning, failed), detail and duration; exit 1 when a check failed")
        {
            JsonOption, history,
        };
        CliSession.SetAction(inspect, async (p, s, ct) =>
        {
            var report = await s.Services.GetRequiredService<Inspector>().RunAsync(null, ct);
            var kept = s.Services.GetRequiredService<InspectionHistory>();
            await s.Services.GetRequiredService<Tickets.Storage.TicketDatabase>().WriteAsync((c, tx) => kept.Keep(c, tx, report, "cli", null), ct);
            if (p.GetValue(JsonOption))
            {
                s.Output.WriteLine(TicketJson.Write(report.Json(s.Time)));
            }
            else
            {
                s.Output.Write(report.Table());
                s.Output.WriteLine(report.Summary + ".");
            }

            return report.Worst == CheckOutcome.Failed ? 1 : 0;
        });
        return inspect;
    }

    private static int History(ParseResult p, CliSession s)
    {
        var limit = 30;
        if (p.GetValue(Limit) is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new CliException($"inspect history: --limit '{text}' is not a positive whole number.");
        }

        var list = s.Services.GetRequiredService<InspectionHistory>().List(limit);
        if (p.GetValue(HistoryJson))
        {
            s.Output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(e =>
            {
                var json = e.Report.Json(s.Time);
                json["id"] = e.Id;
                json["trigger"] = e.Trigger;
                json["node"] = e.Node;
                return (JsonNode)json;
            })])));
            return 0;
        }

        var table = new TextTable("STARTED", "TRIGGER", "RESULT", "SUMMARY", "PROBLEMS");
        foreach (var e in list)
        {
            var problems = string.Join("; ", e.Report.ProblemsFirst.TakeWhile(r => r.Outcome != CheckOutcome.Ok).Select(r => $"{r.Check} {Names.Of(r.Outcome)}"));
            table.Add(s.Time.Format(e.Report.StartedAt), e.Trigger, Names.Of(e.Report.Worst), e.Report.Summary, problems);
        }

        s.Output.Write(table.ToString());
        s.Output.WriteLine($"{list.Count} inspection(s).");
        return 0;
    }
}
