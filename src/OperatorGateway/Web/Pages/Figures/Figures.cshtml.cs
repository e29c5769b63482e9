using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Scriban.Runtime;
using TicketGateway.OperatorGateway.Kpis;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Web.Pages.Figures;

/// <summary>
/// The month's figures for the desk lead: the eight indicators against their targets, the report's
/// charts, the figures per agent and the tickets behind each missed target, with the report and the
/// CSV as downloads. Every number comes from the <see cref="KpiCalculator"/> the <c>kpi</c> command uses,
/// and every download is the bytes that command writes (<c>--html</c>, <c>--csv</c>, <c>--by-agent --csv</c>).
/// </summary>
[Authorize(Policy = WebPolicies.Lead)]
internal sealed class FiguresModel(KpiCalculator kpis, TimeProvider clock, WebText text) : WebPageModel
{
    /// <summary>The month asked for, <c>YYYY-MM</c>; the current month of the desk's zone without it.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    public KpiMonth? Shown { get; private set; }

    public KpiReport? Report { get; private set; }

    public AgentKpiReport? Agents { get; private set; }

    /// <summary>The report's charts, inline SVG as <c>kpi --html</c> renders them.</summary>
    public IReadOnlyList<string> Charts { get; private set; } = [];

    public IReadOnlyList<ChartLegend> DailyLegend { get; private set; } = [];

    public IReadOnlyList<ChartLegend> LevelLegend { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (Resolve() is not { } month)
        {
            return Refuse(text.Format("'{0}' is not a month such as 2026-11.", Month), StatusCodes.Status400BadRequest);
        }

        Shown = month;
        Report = kpis.Compute(month);
        Agents = kpis.ComputeByAgent(month);
        Charts = KpiHtml.Charts(KpiHtml.Render(Report, Agents));
        DailyLegend = Legend(KpiHtmlCharts.Daily(Report));
        LevelLegend = Legend(KpiHtmlCharts.Levels(Report));
        return Page();
    }

    /// <summary>The printable report, as <c>kpi --month M --html FILE</c> writes it.</summary>
    public IActionResult OnGetReport() => Download(m => KpiHtml.Render(kpis.Compute(m), kpis.ComputeByAgent(m)), "text/html; charset=utf-8", "html", "");

    /// <summary>The indicators as <c>kpi --month M --csv</c> prints them.</summary>
    public IActionResult OnGetCsv() => Download(m => KpiCsv.Write([kpis.Compute(m)]), "text/csv; charset=utf-8", "csv", "");

    /// <summary>The figures per agent as <c>kpi --month M --by-agent --csv</c> prints them.</summary>
    public IActionResult OnGetAgentsCsv() => Download(m => AgentKpiCsv.Write(kpis.ComputeByAgent(m)), "text/csv; charset=utf-8", "csv", "-agents");

    /// <summary>The month before or after the one shown, for the picker's arrows.</summary>
    public string Step(int months)
    {
        var first = new DateOnly(Shown!.Year, Shown.Month, 1).AddMonths(months);
        return first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>When an item was accepted (or a call started), in the desk's zone as the report prints it.</summary>
    public string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, kpis.Zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether an item behind a missed target is a ticket (a link), not a hotline call.</summary>
    public static bool IsTicket(string key) => key != "hotline_answer_rate";

    /// <summary>How many items are behind a missed indicator (the list holds at most <see cref="KpiCalculator.MissedListLimit"/>).</summary>
    public static long MissedCount(Indicator i) => i.Key == "repeat_complaint_rate" ? i.Numerator : i.Denominator - i.Numerator;

    private IActionResult Download(Func<KpiMonth, string> render, string type, string extension, string suffix)
    {
        if (Resolve() is not { } month)
        {
            return Refuse(text.Format("'{0}' is not a month such as 2026-11.", Month), StatusCodes.Status400BadRequest);
        }

        // FileContentResult with a name: Content-Disposition: attachment, never shown in the console's origin.
        return File(new System.Text.UTF8Encoding(false).GetBytes(render(month)), type, $"kpi-{month.Name}{suffix}.{extension}");
    }

    private KpiMonth? Resolve()
    {
        if (string.IsNullOrWhiteSpace(Month))
        {
            var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), kpis.Zone);
            return KpiMonth.Of(now.Year, now.Month, kpis.Zone);
        }

        return KpiMonth.TryParse(Month, kpis.Zone);
    }

    private static ChartLegend[] Legend(ScriptObject chart) =>
        [.. ((ScriptArray)chart["legend"]!).Cast<ScriptObject>().Select(o => new ChartLegend((string)o["label"]!, (string)o["colour"]!, o["count"] as long?))];
}
