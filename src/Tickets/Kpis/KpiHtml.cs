using System.Globalization;
using System.Net;
using System.Text;

namespace TicketGateway.Tickets.Kpis;

/// <summary>
/// The monthly pack as one self-contained HTML page a manager prints: no scripts, no external
/// files, charts as inline SVG, the ticket lists behind every missed target and the tickets pending
/// (not due yet at the report's moment, so neither met nor missed).
/// </summary>
public static class KpiHtml
{
    private static readonly (string Key, string Label, string Colour)[] Channels =
    [
        ("email", "email", "#4e79a7"),
        ("operator", "operator complaints", "#f28e2b"),
        ("phone", "phone tickets", "#59a14f"),
        ("hotline-calls", "hotline calls (CDR)", "#b07aa1"),
    ];

    /// <summary>Renders the page.</summary>
    public static string Render(KpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(report.TimeZone);
        var h = new StringBuilder();
        h.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>Service quality {{report.Month.Name}}</title>
            <style>
            body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", Arial, sans-serif; margin: 24px; color: #222; font-size: 13px; }
            h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 3px; }
            table { border-collapse: collapse; margin: 6px 0 12px; } th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.t { white-space: nowrap; }
            .met { color: #1a7f37; font-weight: bold; } .miss { color: #c62828; font-weight: bold; } .none { color: #777; font-style: italic; white-space: normal; }
            .pending { color: #8a6d00; font-weight: bold; } tr.pending td { background: #fff8e1; }
            .meta { color: #555; } .legend span { display: inline-block; margin-right: 14px; } .sw { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
            svg text { font-family: inherit; font-size: 11px; }
            @media print { body { margin: 10mm; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
            </style>
            </head>
            <body>
            <h1>客户服务质量月报 Service quality report — {{report.Month.Name}}</h1>
            <p class="meta">Calendar month in {{E(report.TimeZone)}}; tickets count in the month they were accepted. As of {{E(report.AsOf)}}: a ticket whose deadline had not come by then is pending, neither met nor missed, and left out of the rates.</p>
            """).Append('\n');
        Indicators(h, report);
        h.Append("<h2>Indicators against their targets</h2>\n");
        IndicatorChart(h, report);
        h.Append("<h2>Daily contact volume by channel</h2>\n");
        DailyChart(h, report);
        h.Append("<h2>Resolution-deadline compliance by complaint level</h2>\n");
        LevelChart(h, report);
        LevelTable(h, report);
        Counts(h, report);
        MissedLists(h, report, zone);
        PendingLists(h, report, zone);
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static void Indicators(StringBuilder h, KpiReport report)
    {
        h.Append("<h2>The eight indicators</h2>\n<table>\n<tr><th>indicator</th><th>formula</th><th>numerator</th><th>denominator</th><th>pending</th><th>rate</th><th>target</th><th>met</th></tr>\n");
        foreach (var i in report.Indicators)
        {
            var met = i.Met switch
            {
                true => "<span class=\"met\">met</span>",
                false => "<span class=\"miss\">missed</span>",
                null when i.Pending > 0 => "<span class=\"pending\">pending</span>",
                null => "<span class=\"none\">no data</span>",
            };
            var rate = i.Rate is null ? $"<span class=\"none\">{E(ZeroText(i))}</span>" : E(i.RateText);
            var pending = i.Pending > 0 ? $"<span class=\"pending\">{i.Pending} pending</span>" : "0";
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(i.Title)}</td><td>{E(i.Formula)}</td><td class=\"n\">{i.Numerator}</td><td class=\"n\">{i.Denominator}</td><td class=\"n\">{pending}</td><td class=\"n\">{rate}</td><td class=\"t\">{E(i.TargetText)}</td><td>{met}</td></tr>\n");
        }

        h.Append("</table>\n");
    }

    private static string ZeroText(Indicator i) => i.Key switch
    {
        _ when i.Pending > 0 => $"nothing due yet, {i.Pending} pending",
        "hotline_answer_rate" => "zero denominator: no calls recorded this month",
        "repeat_complaint_rate" => "zero denominator: no non-repeat complaints this month",
        _ when i.Key.StartsWith("inquiry", StringComparison.Ordinal) => "zero denominator: no inquiries received this month",
        _ => "zero denominator: no complaints received this month",
    };

    private static void IndicatorChart(StringBuilder h, KpiReport report)
    {
        const int left = 250, width = 400, row = 30;
        var height = (report.Indicators.Count * row) + 30;
        h.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 260}\" height=\"{height}\" role=\"img\" aria-label=\"indicators against targets\">\n");
        var y = 10;
        foreach (var i in report.Indicators)
        {
            // The repeat rate lives near its 1% target; on a 0-100% axis neither would be visible.
            var scale = i.AtMost ? Math.Max(10m, (i.Rate ?? 0) * 1.2m) : 100m;
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\">{E(i.Title)}</text>\n");
            h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{width}\" height=\"20\" fill=\"#eee\"/>\n");
            if (i.Rate is { } rate)
            {
                var w = (int)Math.Round(width * Math.Min(rate, scale) / scale);
                var colour = i.Met == true ? "#59a14f" : "#e15759";
                h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{w}\" height=\"20\" fill=\"{colour}\"/>\n");
            }

            var tx = left + (int)Math.Round(width * i.Target / scale);
            h.Append(CultureInfo.InvariantCulture, $"<line x1=\"{tx}\" y1=\"{y - 3}\" x2=\"{tx}\" y2=\"{y + 23}\" stroke=\"#000\" stroke-width=\"2\"/>\n");
            var label = (i.Rate is null ? i.Pending > 0 ? "no rate yet" : "no data (zero denominator)" : $"{i.RateText} (target {i.TargetText})")
                + (i.Pending > 0 ? $", {i.Pending} pending" : "") + (scale == 100m ? "" : $", axis 0-{scale:0.#}%");
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + width + 8}\" y=\"{y + 15}\">{E(label)}</text>\n");
            y += row;
        }

        h.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{y + 12}\">bar: this month's rate; black line: the target</text>\n</svg>\n");
    }

    private static void DailyChart(StringBuilder h, KpiReport report)
    {
        const int left = 40, top = 10, plotHeight = 200, barWidth = 18, gap = 4;
        var max = Math.Max(1, report.Daily.Max(d => d.Counts.Values.Sum()));
        var width = left + (report.Daily.Count * (barWidth + gap)) + 10;
        h.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{plotHeight + top + 40}\" role=\"img\" aria-label=\"daily contact volume\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{width - 5}\" y2=\"{top + plotHeight}\" stroke=\"#888\"/>\n");
        h.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{top + 10}\">{max}</text><text x=\"0\" y=\"{top + plotHeight}\">0</text>\n");
        var x = left + 2;
        foreach (var day in report.Daily)
        {
            var y = top + plotHeight;
            foreach (var (key, _, colour) in Channels)
            {
                var count = day.Counts.GetValueOrDefault(key);
                if (count == 0)
                {
                    continue;
                }

                var hgt = Math.Max(1, (int)Math.Round((double)plotHeight * count / max));
                y -= hgt;
                h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{barWidth}\" height=\"{hgt}\" fill=\"{colour}\"><title>{day.Day:yyyy-MM-dd} {key}: {count}</title></rect>\n");
            }

            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 3}\" y=\"{top + plotHeight + 14}\">{day.Day.Day}</text>\n");
            x += barWidth + gap;
        }

        h.Append("</svg>\n<p class=\"legend\">");
        foreach (var (key, label, colour) in Channels)
        {
            h.Append(CultureInfo.InvariantCulture, $"<span><span class=\"sw\" style=\"background:{colour}\"></span>{E(label)}: {report.ByChannel.GetValueOrDefault(key)}</span>");
        }

        h.Append("</p>\n");
    }

    private static void LevelChart(StringBuilder h, KpiReport report)
    {
        const int left = 70, width = 480, row = 30;
        (string Label, string Colour)[] parts = [("resolved on time", "#59a14f"), ("resolved late", "#f28e2b"), ("open past due", "#e15759"), ("pending (deadline running)", "#bab0ac")];
        h.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 150}\" height=\"{(4 * row) + 40}\" role=\"img\" aria-label=\"deadline compliance by level\">\n");
        var y = 10;
        foreach (var l in report.Levels)
        {
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\">level {l.Level}</text>\n");
            if (l.Received == 0)
            {
                h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{width}\" height=\"20\" fill=\"#f4f4f4\"/><text x=\"{left + 8}\" y=\"{y + 15}\">no complaints of this level</text>\n");
            }
            else
            {
                var x = (double)left;
                long[] values = [l.OnTime, l.Late, l.OpenPastDue, l.Pending];
                for (var p = 0; p < values.Length; p++)
                {
                    var w = (double)width * values[p] / l.Received;
                    if (w > 0)
                    {
                        h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"20\" fill=\"{parts[p].Colour}\"><title>{parts[p].Label}: {values[p]}</title></rect>\n");
                    }

                    x += w;
                }

                // Compliance is over the complaints already decided; those still inside their deadline are pending.
                var text = l.Decided == 0 ? "none due yet"
                    : string.Create(CultureInfo.InvariantCulture, $"{l.OnTime}/{l.Decided} on time ({100.0 * l.OnTime / l.Decided:0.0}%)");
                text += l.Pending > 0 ? $", {l.Pending} pending" : "";
                h.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + width + 8}\" y=\"{y + 15}\">{text}</text>\n");
            }

            y += row;
        }

        h.Append("</svg>\n<p class=\"legend\">");
        foreach (var (label, colour) in parts)
        {
            h.Append(CultureInfo.InvariantCulture, $"<span><span class=\"sw\" style=\"background:{colour}\"></span>{label}</span>");
        }

        h.Append("</p>\n");
    }

    private static void LevelTable(StringBuilder h, KpiReport report)
    {
        h.Append("<table>\n<tr><th>level</th><th>received</th><th>resolved on time</th><th>resolved late</th><th>open past due</th><th>pending (deadline running)</th></tr>\n");
        foreach (var l in report.Levels)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{l.Level}</td><td class=\"n\">{l.Received}</td><td class=\"n\">{l.OnTime}</td><td class=\"n\">{l.Late}</td><td class=\"n\">{l.OpenPastDue}</td><td class=\"n\">{l.Pending}</td></tr>\n");
        }

        h.Append("</table>\n");
    }

    private static void Counts(StringBuilder h, KpiReport report)
    {
        h.Append("<h2>Contacts by channel and kind</h2>\n<table>\n<tr><th>channel</th><th>count</th></tr>\n");
        foreach (var (key, count) in report.ByChannel)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(key)}</td><td class=\"n\">{count}</td></tr>\n");
        }

        h.Append("</table>\n<table>\n<tr><th>kind</th><th>count</th></tr>\n");
        foreach (var (key, count) in report.ByKind)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(key)}</td><td class=\"n\">{count}</td></tr>\n");
        }

        h.Append("</table>\n<p class=\"meta\">Inquiry indicators count inquiries, fee inquiries and problem reports; complaint indicators count complaints.</p>\n");
    }

    private static void MissedLists(StringBuilder h, KpiReport report, TimeZoneInfo zone)
    {
        h.Append("<h2>Behind the missed targets</h2>\n");
        if (report.Missed.Count == 0)
        {
            h.Append("<p>Every indicator with data met its target.</p>\n");
            return;
        }

        foreach (var i in report.Indicators.Where(i => report.Missed.ContainsKey(i.Key)))
        {
            var items = report.Missed[i.Key];
            var total = i.Key == "repeat_complaint_rate" ? i.Numerator : i.Denominator - i.Numerator;
            h.Append(CultureInfo.InvariantCulture, $"<h3>{E(i.Title)}: {E(i.RateText)} against {E(i.TargetText)} — {total} item(s)</h3>\n");
            if (total > items.Count)
            {
                h.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">The first {items.Count} of {total} are listed.</p>\n");
            }

            Items(h, items, i.Key == "hotline_answer_rate", zone, pending: false);
        }
    }

    private static void PendingLists(StringBuilder h, KpiReport report, TimeZoneInfo zone)
    {
        h.Append("<h2>Pending: not due yet</h2>\n");
        if (report.Pending.Count == 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p>Nothing was pending as of {E(report.AsOf)}.</p>\n");
            return;
        }

        foreach (var i in report.Indicators.Where(i => report.Pending.ContainsKey(i.Key)))
        {
            var items = report.Pending[i.Key];
            h.Append(CultureInfo.InvariantCulture, $"<h3>{E(i.Title)}: <span class=\"pending\">{i.Pending} pending</span>, in neither numerator nor denominator</h3>\n");
            if (i.Pending > items.Count)
            {
                h.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">The first {items.Count} of {i.Pending} are listed.</p>\n");
            }

            Items(h, items, calls: false, zone, pending: true);
        }
    }

    private static void Items(StringBuilder h, IReadOnlyList<MissedItem> items, bool calls, TimeZoneInfo zone, bool pending)
    {
        h.Append(calls
            ? "<table>\n<tr><th>call</th><th>started</th><th>caller</th><th>disposition</th><th>why</th></tr>\n"
            : "<table>\n<tr><th>ref</th><th>accepted</th><th>customer</th><th>subject</th><th>why</th></tr>\n");
        var row = pending ? "<tr class=\"pending\">" : "<tr>";
        foreach (var m in items)
        {
            h.Append(CultureInfo.InvariantCulture, $"{row}<td>{E(m.Ref)}</td><td>{Local(m.At, zone)}</td><td>{E(m.Who)}</td><td>{E(m.Subject)}</td><td>{E(m.Reason)}</td></tr>\n");
        }

        h.Append("</table>\n");
    }

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
