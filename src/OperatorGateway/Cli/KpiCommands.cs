using System.CommandLine;
using System.Globalization;
using TicketGateway.OperatorGateway.Kpis;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw kpi ...</c>: the monthly indicator pack, or a trend over months.</summary>
internal sealed class KpiCommands(KpiCalculator kpis, TimeFormat time, TextWriter output)
{
    private const int MaxTrendMonths = 120;

    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Option<bool> Csv = new("--csv") { Description = "print CSV instead of text" };
    private static readonly Option<string?> MonthOption = CliSymbols.Value("--month", "YYYY-MM", "one month's report");
    private static readonly Option<string?> From = CliSymbols.Value("--from", "YYYY-MM", "the first month of a trend (with --to; at most 120 months)");
    private static readonly Option<string?> To = CliSymbols.Value("--to", "YYYY-MM", "the last month of a trend");
    private static readonly Option<string?> Html = CliSymbols.Value("--html", "FILE", "also write the month's printable report to FILE (with the figures per agent)");
    private static readonly Option<bool> ByAgent = new("--by-agent") { Description = "the month's figures per agent instead of the indicators (with --month)" };
    private static readonly Option<bool> Refs = new("--refs") { Description = "with --by-agent --json: list the tickets behind each figure (at most 200 each)" };

    public static Command Create()
    {
        var kpi = new Command("kpi", "the monthly indicators (--month), or a trend over months (--from, --to)") { MonthOption, From, To, JsonOption, Csv, Html, ByAgent, Refs };
        CliSession.SetAction(kpi, (p, s) => new KpiCommands(s.Services.GetRequiredService<KpiCalculator>(), s.Time, s.Output).Run(p));
        return kpi;
    }

    private int Run(ParseResult a)
    {
        if (a.GetValue(JsonOption) && a.GetValue(Csv))
        {
            throw new CliException("kpi: choose one of --json and --csv.");
        }

        var byAgent = a.GetValue(ByAgent);
        if (a.GetValue(Refs) && !(byAgent && a.GetValue(JsonOption)))
        {
            throw new CliException("kpi --refs: the tickets behind the figures per agent come with --by-agent --json (e.g. kpi --month 2026-11 --by-agent --json --refs).");
        }

        if (byAgent && a.GetValue(MonthOption) is null)
        {
            throw new CliException("kpi --by-agent: the figures per agent are for one month; give --month YYYY-MM (not --from/--to).");
        }

        if (a.GetValue(MonthOption) is { } monthText)
        {
            if (a.GetValue(From) is not null || a.GetValue(To) is not null)
            {
                throw new CliException("kpi: give either --month or --from and --to, not both.");
            }

            var month = Month(monthText, "--month");
            if (a.GetValue(Html) is { } file)
            {
                WriteHtml(file, kpis.Compute(month), kpis.ComputeByAgent(month));
            }

            if (byAgent)
            {
                PrintByAgent(a, kpis.ComputeByAgent(month, a.GetValue(Refs)));
            }
            else
            {
                Print(a, kpis.Compute(month));
            }

            return 0;
        }

        var from = Month(a.GetValue(From) ?? throw new CliException("kpi: give --month YYYY-MM, or --from YYYY-MM and --to YYYY-MM."), "--from");
        var to = Month(a.GetValue(To) ?? throw new CliException("kpi: --from needs --to YYYY-MM."), "--to");
        if (to.Start < from.Start)
        {
            throw new CliException($"kpi: --to {to.Name} is before --from {from.Name}.");
        }

        if (a.GetValue(Html) is not null)
        {
            throw new CliException("kpi: --html writes one month's report; use it with --month.");
        }

        var months = new List<KpiReport>();
        for (var m = from; m.Start <= to.Start; m = m.Next(time.Zone))
        {
            if (months.Count == MaxTrendMonths)
            {
                throw new CliException($"kpi: a trend covers at most {MaxTrendMonths} months.");
            }

            months.Add(kpis.Compute(m));
        }

        if (a.GetValue(JsonOption))
        {
            output.WriteLine(KpiJson.Write(KpiJson.Trend(months)));
        }
        else if (a.GetValue(Csv))
        {
            output.Write(KpiCsv.Write(months));
        }
        else
        {
            var table = new TextTable(["MONTH", .. months[0].Indicators.Select(i => Short(i.Key))]);
            foreach (var r in months)
            {
                table.Add([r.Month.Name, .. r.Indicators.Select(i => i.Rate is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + (i.Met == false ? "!" : "") : "n/a")]);
            }

            output.Write(table.ToString());
            output.WriteLine($"Rates in percent; ! marks a missed target; n/a: zero denominator. As of {months[^1].AsOf}: tickets not due yet are pending, left out of the rates.");
        }

        return 0;
    }

    private void Print(ParseResult a, KpiReport report)
    {
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(KpiJson.Write(KpiJson.Month(report)));
            return;
        }

        if (a.GetValue(Csv))
        {
            output.Write(KpiCsv.Write([report]));
            return;
        }

        output.WriteLine($"Service quality {report.Month.Name} ({report.TimeZone}), as of {report.AsOf}");
        var table = new TextTable("INDICATOR", "NUMERATOR", "DENOMINATOR", "PENDING", "RATE", "TARGET", "MET");
        foreach (var i in report.Indicators)
        {
            table.Add(i.Key, N(i.Numerator), N(i.Denominator), N(i.Pending), i.RateText, i.TargetText,
                i.Met switch { true => "yes", false => "NO", null when i.Pending > 0 => "pending", null => "-" });
        }

        output.Write(table.ToString());
        output.WriteLine("PENDING: not due yet as of the report (no reply and reply deadline running, or no survey answer yet); in neither numerator nor denominator.");
        output.WriteLine();
        output.WriteLine("Resolution deadlines by complaint level:");
        var levels = new TextTable("LEVEL", "RECEIVED", "ON TIME", "LATE", "OPEN PAST DUE", "PENDING");
        foreach (var l in report.Levels)
        {
            levels.Add(N(l.Level), N(l.Received), N(l.OnTime), N(l.Late), N(l.OpenPastDue), N(l.Pending));
        }

        output.Write(levels.ToString());
        output.WriteLine();
        output.WriteLine("By channel: " + string.Join(", ", report.ByChannel.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine("By kind:    " + string.Join(", ", report.ByKind.Select(kv => $"{kv.Key} {kv.Value}")));
    }

    private void PrintByAgent(ParseResult a, AgentKpiReport report)
    {
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(KpiJson.Write(AgentKpiJson.Write(report)));
            return;
        }

        if (a.GetValue(Csv))
        {
            output.Write(AgentKpiCsv.Write(report));
            return;
        }

        output.WriteLine($"Figures per agent {report.Month.Name} ({report.TimeZone}), as of {report.AsOf}");
        var table = new TextTable("LOGIN", "NAME", "OWNED", "REPLIES", "FIRST", "ON TIME", "RATE", "MEDIAN", "RESOLVED", "IN TIME", "SURVEYS", "SATISFIED", "RATE", "REPEATS");
        foreach (var r in report.Agents)
        {
            table.Add(r.Login ?? "-", r.Name, N(r.TicketsOwned), N(r.RepliesSent), N(r.FirstReplies), N(r.FirstRepliesOnTime), KpiHtml.Percent(r.FirstReplyOnTimeRate),
                KpiHtml.Duration(r.MedianFirstReply), N(r.ComplaintsResolved), N(r.ComplaintsResolvedOnTime), N(r.SurveysReceived), N(r.Satisfied),
                KpiHtml.Percent(r.SatisfactionRate), N(r.RepeatComplaints));
        }

        string T(string key) => N(report.Total(key));
        table.Add("TOTAL", "", T("tickets_owned"), T("replies_sent"), T("first_replies"), T("first_replies_on_time"), "", "",
            T("complaints_resolved"), T("complaints_resolved_on_time"), T("surveys_received"), T("satisfied"), "", T("repeat_complaints"));
        output.Write(table.ToString());
        output.WriteLine("Over the month's tickets: OWNED now; FIRST = first replies given, ON TIME by the reply deadline; RESOLVED = complaints whose resolution the agent recorded, IN TIME by the deadline;");
        output.WriteLine("SURVEYS/SATISFIED on tickets the agent resolved; REPEATS = repeat complaints of complaints the agent resolved. The row '-' is work done by no agent account. See README, KPI section.");
    }

    private static void WriteHtml(string file, KpiReport report, AgentKpiReport agents)
    {
        try
        {
            var full = Path.GetFullPath(file);
            File.WriteAllText(full, KpiHtml.Render(report, agents), new System.Text.UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"kpi --html: cannot write '{file}': {ex.Message}");
        }
    }

    private KpiMonth Month(string text, string option) =>
        KpiMonth.TryParse(text, time.Zone) ?? throw new CliException($"kpi {option}: '{text}' is not a month such as 2026-11.");

    private static string Short(string key) => key.Replace("_rate", "", StringComparison.Ordinal);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
