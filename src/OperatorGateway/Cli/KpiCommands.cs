using System.Globalization;
using TicketGateway.OperatorGateway.Kpis;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw kpi ...</c>: the monthly indicator pack, or a trend over months.</summary>
internal sealed class KpiCommands(KpiCalculator kpis, TimeFormat time, TextWriter output)
{
    private const int MaxTrendMonths = 120;

    public int Run(IReadOnlyList<string> rest)
    {
        var a = CliArgs.Parse("kpi", rest, ["month", "from", "to", "html"], ["json", "csv"]);
        a.NoMorePositionals(0);
        if (a.Flag("json") && a.Flag("csv"))
        {
            throw new CliException("kpi: choose one of --json and --csv.");
        }

        if (a.Optional("month") is { } monthText)
        {
            if (a.Optional("from") is not null || a.Optional("to") is not null)
            {
                throw new CliException("kpi: give either --month or --from and --to, not both.");
            }

            var report = kpis.Compute(Month(monthText, "--month"));
            if (a.Optional("html") is { } file)
            {
                WriteHtml(file, report);
            }

            Print(a, report);
            return 0;
        }

        var from = Month(a.Optional("from") ?? throw new CliException("kpi: give --month YYYY-MM, or --from YYYY-MM and --to YYYY-MM."), "--from");
        var to = Month(a.Optional("to") ?? throw new CliException("kpi: --from needs --to YYYY-MM."), "--to");
        if (to.Start < from.Start)
        {
            throw new CliException($"kpi: --to {to.Name} is before --from {from.Name}.");
        }

        if (a.Optional("html") is not null)
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

        if (a.Flag("json"))
        {
            output.WriteLine(KpiJson.Write(KpiJson.Trend(months)));
        }
        else if (a.Flag("csv"))
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

    private void Print(CliArgs a, KpiReport report)
    {
        if (a.Flag("json"))
        {
            output.WriteLine(KpiJson.Write(KpiJson.Month(report)));
            return;
        }

        if (a.Flag("csv"))
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

    private static void WriteHtml(string file, KpiReport report)
    {
        try
        {
            var full = Path.GetFullPath(file);
            File.WriteAllText(full, KpiHtml.Render(report), new System.Text.UTF8Encoding(false));
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
