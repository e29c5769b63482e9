using System.Globalization;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Runtime;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Kpis;

/// <summary>
/// The monthly pack as one self-contained HTML page a manager prints: no scripts, no external
/// files, charts as inline SVG, the ticket lists behind every missed target and the tickets pending
/// (not due yet at the report's moment, so neither met nor missed). The page is the embedded
/// Scriban template <c>Templates/kpi-report.sbn</c>, rendered with <see cref="HtmlTemplateContext"/>:
/// every value it writes is HTML-encoded.
/// </summary>
internal static partial class KpiHtml
{
    private const string TemplateResource = "kpi/kpi-report.sbn";

    private static readonly Lazy<Template> Page = new(Load);

    /// <summary>Renders the page, with the figures per agent of the same month.</summary>
    public static string Render(KpiReport report, AgentKpiReport agents)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(agents);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(report.TimeZone);
        var model = new ScriptObject
        {
            ["month"] = report.Month.Name,
            ["time_zone"] = report.TimeZone,
            ["as_of"] = report.AsOf,
            ["indicators"] = new ScriptArray(report.Indicators.Select(IndicatorRow)),
            ["indicator_chart"] = KpiHtmlCharts.Indicators(report),
            ["daily_chart"] = KpiHtmlCharts.Daily(report),
            ["level_chart"] = KpiHtmlCharts.Levels(report),
            // Read by Scriban's snake_case names: level, received, on_time, late, open_past_due, pending.
            ["levels"] = report.Levels,
            ["by_channel"] = Counts(report.ByChannel),
            ["by_kind"] = Counts(report.ByKind),
            ["agents"] = new ScriptArray(agents.Agents.Select(AgentRow)),
            ["agent_totals"] = new ScriptObject { ["first_replies"] = agents.Total("first_replies"), ["complaints_resolved"] = agents.Total("complaints_resolved"), ["tickets_owned"] = agents.Total("tickets_owned") },
            ["missed"] = new ScriptArray(report.Indicators.Where(i => report.Missed.ContainsKey(i.Key)).Select(i => new ScriptObject
            {
                ["title"] = i.Title,
                ["rate_text"] = i.RateText,
                ["target_text"] = i.TargetText,
                ["total"] = i.Key == "repeat_complaint_rate" ? i.Numerator : i.Denominator - i.Numerator,
                ["calls"] = i.Key == "hotline_answer_rate",
                ["items"] = Items(report.Missed[i.Key], zone),
            })),
            ["pending"] = new ScriptArray(report.Indicators.Where(i => report.Pending.ContainsKey(i.Key)).Select(i => new ScriptObject
            {
                ["title"] = i.Title,
                ["pending"] = i.Pending,
                ["items"] = Items(report.Pending[i.Key], zone),
            })),
        };

        var context = new HtmlTemplateContext();
        context.PushGlobal(model);
        return Page.Value.Render(context);
    }

    /// <summary>
    /// The charts of a rendered page, each its inline <c>&lt;svg&gt;</c> exactly as printed, for the web
    /// console's figures page (which shows what the report shows, not a second drawing of it). Cutting at
    /// <c>&lt;/svg&gt;</c> is safe: every value in the page is HTML-encoded, so no data can close an element.
    /// </summary>
    public static IReadOnlyList<string> Charts(string page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return [.. Svg().Matches(page).Select(m => m.Value)];
    }

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Svg();

    private static ScriptObject IndicatorRow(Indicator i) => new()
    {
        ["title"] = i.Title,
        ["formula"] = i.Formula,
        ["numerator"] = i.Numerator,
        ["denominator"] = i.Denominator,
        ["pending"] = i.Pending,
        ["has_rate"] = i.Rate is not null,
        ["rate_text"] = i.RateText,
        ["zero_text"] = ZeroText(i),
        ["target_text"] = i.TargetText,
        ["met"] = i.Met switch
        {
            true => "met",
            false => "missed",
            null when i.Pending > 0 => "pending",
            null => "none",
        },
    };

    private static ScriptObject AgentRow(AgentFigures a) => new()
    {
        ["login"] = a.Login ?? "-",
        ["name"] = a.Name,
        ["other"] = a.Login is null,
        ["tickets_owned"] = a.TicketsOwned,
        ["replies_sent"] = a.RepliesSent,
        ["first_replies"] = a.FirstReplies,
        ["first_replies_on_time"] = a.FirstRepliesOnTime,
        ["on_time_rate"] = Percent(a.FirstReplyOnTimeRate),
        ["complaints_resolved"] = a.ComplaintsResolved,
        ["complaints_resolved_on_time"] = a.ComplaintsResolvedOnTime,
        ["median"] = Duration(a.MedianFirstReply),
        ["surveys_received"] = a.SurveysReceived,
        ["satisfied"] = a.Satisfied,
        ["satisfaction_rate"] = Percent(a.SatisfactionRate),
        ["repeat_complaints"] = a.RepeatComplaints,
    };

    /// <summary>A rate as the reports print it (<c>87.50%</c>), or <c>-</c> without a denominator.</summary>
    public static string Percent(decimal? rate) => rate is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A duration as people read it: <c>2d 03h</c>, <c>1h 05m</c>, <c>4m 20s</c>, <c>35s</c>; <c>-</c> for none.</summary>
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "-",
        { } d when d.TotalDays >= 1 => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalDays}d {d.Hours:D2}h"),
        { } d when d.TotalHours >= 1 => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h {d.Minutes:D2}m"),
        { } d when d.TotalMinutes >= 1 => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes}m {d.Seconds:D2}s"),
        { } d => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Round(d.TotalSeconds))}s"),
    };

    private static string ZeroText(Indicator i) => i.Key switch
    {
        _ when i.Pending > 0 => $"nothing due yet, {i.Pending} pending",
        "hotline_answer_rate" => "zero denominator: no calls recorded this month",
        "repeat_complaint_rate" => "zero denominator: no non-repeat complaints this month",
        _ when i.Key.StartsWith("inquiry", StringComparison.Ordinal) => "zero denominator: no inquiries received this month",
        _ => "zero denominator: no complaints received this month",
    };

    private static ScriptArray Counts(IReadOnlyDictionary<string, long> counts) =>
        new ScriptArray(counts.Select(kv => new ScriptObject { ["key"] = kv.Key, ["count"] = kv.Value }));

    private static ScriptArray Items(IReadOnlyList<MissedItem> items, TimeZoneInfo zone) =>
        new ScriptArray(items.Select(m => new ScriptObject
        {
            ["ref"] = m.Ref,
            ["at"] = TimeZoneInfo.ConvertTime(m.At, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["who"] = m.Who,
            ["subject"] = m.Subject,
            ["reason"] = m.Reason,
        }));

    private static Template Load()
    {
        using var stream = typeof(KpiHtml).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"The KPI report template '{TemplateResource}' is not embedded in {typeof(KpiHtml).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), TemplateResource);
        return template.HasErrors
            ? throw new InvalidOperationException($"The KPI report template '{TemplateResource}' does not parse: {string.Join("; ", template.Messages)}")
            : template;
    }
}
