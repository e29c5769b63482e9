using System.Globalization;
using Scriban.Runtime;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Kpis;

/// <summary>
/// The geometry of the report's three SVG charts (sizes, positions, colours, labels), computed here
/// so the template only places numbers and text it is given.
/// </summary>
internal static class KpiHtmlCharts
{
    private const int RowHeight = 30;

    private static readonly (string Key, string Label, string Colour)[] Channels =
    [
        ("email", "email", "#4e79a7"),
        ("operator", "operator complaints", "#f28e2b"),
        ("phone", "phone tickets", "#59a14f"),
        ("hotline-calls", "hotline calls (CDR)", "#b07aa1"),
    ];

    private static readonly (string Label, string Colour)[] LevelParts =
        [("resolved on time", "#59a14f"), ("resolved late", "#f28e2b"), ("open past due", "#e15759"), ("pending (deadline running)", "#bab0ac")];

    /// <summary>One bar per indicator against a black line at its target.</summary>
    public static ScriptObject Indicators(KpiReport report)
    {
        const int left = 250, width = 400;
        var rows = report.Indicators.Select((i, n) =>
        {
            var y = 10 + (n * RowHeight);
            // The repeat rate lives near its 1% target; on a 0-100% axis neither would be visible.
            var scale = i.AtMost ? Math.Max(10m, (i.Rate ?? 0) * 1.2m) : 100m;
            var label = (i.Rate is null ? i.Pending > 0 ? "no rate yet" : "no data (zero denominator)" : $"{i.RateText} (target {i.TargetText})")
                + (i.Pending > 0 ? $", {i.Pending} pending" : "") + (scale == 100m ? "" : $", axis 0-{scale:0.#}%");
            return new ScriptObject
            {
                ["y"] = y,
                ["text_y"] = y + 15,
                ["title"] = i.Title,
                ["has_rate"] = i.Rate is not null,
                ["rate_width"] = i.Rate is { } rate ? (int)Math.Round(width * Math.Min(rate, scale) / scale) : 0,
                ["colour"] = i.Met == true ? "#59a14f" : "#e15759",
                ["target_x"] = left + (int)Math.Round(width * i.Target / scale),
                ["line_top"] = y - 3,
                ["line_bottom"] = y + 23,
                ["label"] = label,
            };
        });
        return new ScriptObject
        {
            ["left"] = left,
            ["bar_width"] = width,
            ["label_x"] = left + width + 8,
            ["width"] = left + width + 260,
            ["height"] = (report.Indicators.Count * RowHeight) + 30,
            ["footer_y"] = 10 + (report.Indicators.Count * RowHeight) + 12,
            ["rows"] = new ScriptArray(rows),
        };
    }

    /// <summary>Contacts per day, one stacked bar per day by channel, with the month's totals as legend.</summary>
    public static ScriptObject Daily(KpiReport report)
    {
        const int left = 40, top = 10, plotHeight = 200, barWidth = 18, gap = 4;
        var max = Math.Max(1, report.Daily.Max(d => d.Counts.Values.Sum()));
        var width = left + (report.Daily.Count * (barWidth + gap)) + 10;
        var days = report.Daily.Select((day, n) =>
        {
            var x = left + 2 + (n * (barWidth + gap));
            var y = top + plotHeight;
            var bars = new List<ScriptObject>();
            foreach (var (key, _, colour) in Channels)
            {
                var count = day.Counts.GetValueOrDefault(key);
                if (count == 0)
                {
                    continue;
                }

                var height = Math.Max(1, (int)Math.Round((double)plotHeight * count / max));
                y -= height;
                bars.Add(new ScriptObject
                {
                    ["y"] = y,
                    ["height"] = height,
                    ["colour"] = colour,
                    ["title"] = string.Create(CultureInfo.InvariantCulture, $"{day.Day:yyyy-MM-dd} {key}: {count}"),
                });
            }

            return new ScriptObject { ["x"] = x, ["label_x"] = x + 3, ["label"] = day.Day.Day, ["bars"] = new ScriptArray(bars) };
        });
        return new ScriptObject
        {
            ["left"] = left,
            ["width"] = width,
            ["height"] = plotHeight + top + 40,
            ["axis_y"] = top + plotHeight,
            ["axis_end"] = width - 5,
            ["max"] = max,
            ["max_y"] = top + 10,
            ["bar_width"] = barWidth,
            ["label_y"] = top + plotHeight + 14,
            ["days"] = new ScriptArray(days),
            ["legend"] = new ScriptArray(Channels.Select(c => new ScriptObject
            {
                ["label"] = c.Label,
                ["colour"] = c.Colour,
                ["count"] = report.ByChannel.GetValueOrDefault(c.Key),
            })),
        };
    }

    /// <summary>Per complaint level: on time, late, open past due and pending as one bar of the level's complaints.</summary>
    public static ScriptObject Levels(KpiReport report)
    {
        const int left = 70, width = 480;
        var rows = report.Levels.Select((l, n) =>
        {
            var y = 10 + (n * RowHeight);
            var row = new ScriptObject { ["y"] = y, ["text_y"] = y + 15, ["level"] = l.Level, ["empty"] = l.Received == 0 };
            if (l.Received == 0)
            {
                return row;
            }

            var segments = new List<ScriptObject>();
            var x = (double)left;
            long[] values = [l.OnTime, l.Late, l.OpenPastDue, l.Pending];
            for (var p = 0; p < values.Length; p++)
            {
                var w = (double)width * values[p] / l.Received;
                if (w > 0)
                {
                    segments.Add(new ScriptObject
                    {
                        ["x"] = x.ToString("0.#", CultureInfo.InvariantCulture),
                        ["width"] = w.ToString("0.#", CultureInfo.InvariantCulture),
                        ["colour"] = LevelParts[p].Colour,
                        ["label"] = LevelParts[p].Label,
                        ["count"] = values[p],
                    });
                }

                x += w;
            }

            // Compliance is over the complaints already decided; those still inside their deadline are pending.
            var text = l.Decided == 0 ? "none due yet"
                : string.Create(CultureInfo.InvariantCulture, $"{l.OnTime}/{l.Decided} on time ({100.0 * l.OnTime / l.Decided:0.0}%)");
            row["text"] = text + (l.Pending > 0 ? $", {l.Pending} pending" : "");
            row["segments"] = new ScriptArray(segments);
            return row;
        });
        return new ScriptObject
        {
            ["left"] = left,
            ["bar_width"] = width,
            ["empty_x"] = left + 8,
            ["label_x"] = left + width + 8,
            ["width"] = left + width + 150,
            ["height"] = (4 * RowHeight) + 40,
            ["rows"] = new ScriptArray(rows),
            ["legend"] = new ScriptArray(LevelParts.Select(p => new ScriptObject { ["label"] = p.Label, ["colour"] = p.Colour })),
        };
    }
}
