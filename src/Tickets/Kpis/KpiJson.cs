using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketGateway.Tickets.Kpis;

/// <summary>
/// The JSON of the indicator pack. Indicator keys are a contract (snake_case, as reports and
/// dashboards read them); a zero denominator gives <c>"rate": null</c> and <c>"met": null</c>.
/// </summary>
public static class KpiJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Read by people and scripts, never embedded in HTML: keep Chinese readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One month.</summary>
    public static JsonObject Month(KpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var indicators = new JsonObject();
        foreach (var i in report.Indicators)
        {
            indicators[i.Key] = new JsonObject
            {
                ["numerator"] = i.Numerator,
                ["denominator"] = i.Denominator,
                ["rate"] = i.Rate,
                ["target"] = i.Target,
                ["comparison"] = i.AtMost ? "<=" : ">=",
                ["met"] = i.Met,
                ["note"] = i.Denominator == 0 ? "zero denominator: no rate" : null,
            };
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(report.TimeZone);
        return new JsonObject
        {
            ["month"] = report.Month.Name,
            ["time_zone"] = report.TimeZone,
            ["generated_at"] = Local(report.GeneratedAt, zone),
            ["indicators"] = indicators,
            ["resolution_by_level"] = new JsonArray([.. report.Levels.Select(l => (JsonNode)new JsonObject
            {
                ["level"] = l.Level,
                ["received"] = l.Received,
                ["resolved_on_time"] = l.OnTime,
                ["resolved_late"] = l.Late,
                ["open_past_due"] = l.OpenPastDue,
                ["open_within_deadline"] = l.OpenWithinDeadline,
            })]),
            ["by_channel"] = Counts(report.ByChannel),
            ["by_kind"] = Counts(report.ByKind),
            ["missed"] = new JsonObject([.. report.Missed.Select(m => new KeyValuePair<string, JsonNode?>(m.Key, new JsonArray([.. m.Value.Select(x => (JsonNode)new JsonObject
            {
                ["ref"] = x.Ref,
                ["at"] = Local(x.At, zone),
                ["who"] = x.Who,
                ["subject"] = x.Subject,
                ["reason"] = x.Reason,
            })])))]),
        };
    }

    /// <summary>A trend: one entry per month with each indicator's rate (null for a zero denominator).</summary>
    public static JsonArray Trend(IEnumerable<KpiReport> months) =>
        new([.. months.Select(r =>
        {
            var o = new JsonObject { ["month"] = r.Month.Name };
            foreach (var i in r.Indicators)
            {
                o[i.Key] = new JsonObject { ["numerator"] = i.Numerator, ["denominator"] = i.Denominator, ["rate"] = i.Rate, ["met"] = i.Met };
            }

            return (JsonNode)o;
        })]);

    /// <summary>Serialises with the pack's options.</summary>
    public static string Write(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Options);
    }

    private static JsonObject Counts(IReadOnlyDictionary<string, long> counts) =>
        new([.. counts.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]);

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
