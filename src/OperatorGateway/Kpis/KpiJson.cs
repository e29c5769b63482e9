using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Kpis;

/// <summary>
/// The JSON of the indicator pack. Indicator keys are a contract (snake_case, as reports and
/// dashboards read them); a zero denominator gives <c>"rate": null</c> and <c>"met": null</c>.
/// <c>as_of</c> (and the older <c>generated_at</c>) is the moment the report was computed; <c>pending</c>
/// counts what was not due by then and is in neither the numerator nor the denominator.
/// </summary>
internal static class KpiJson
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
                ["pending"] = i.Pending,
                ["rate"] = i.Rate,
                ["target"] = i.Target,
                ["comparison"] = i.AtMost ? "<=" : ">=",
                ["met"] = i.Met,
                ["note"] = i.Denominator > 0 ? null : i.Pending > 0 ? "nothing due yet: no rate" : "zero denominator: no rate",
            };
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(report.TimeZone);
        return new JsonObject
        {
            ["month"] = report.Month.Name,
            ["time_zone"] = report.TimeZone,
            ["as_of"] = report.AsOf,
            ["generated_at"] = report.AsOf,
            ["indicators"] = indicators,
            ["resolution_by_level"] = new JsonArray([.. report.Levels.Select(l => (JsonNode)new JsonObject
            {
                ["level"] = l.Level,
                ["received"] = l.Received,
                ["resolved_on_time"] = l.OnTime,
                ["resolved_late"] = l.Late,
                ["open_past_due"] = l.OpenPastDue,
                ["pending"] = l.Pending,
                ["open_within_deadline"] = l.Pending,
            })]),
            ["by_channel"] = Counts(report.ByChannel),
            ["by_kind"] = Counts(report.ByKind),
            ["missed"] = Items(report.Missed, zone),
            ["pending"] = Items(report.Pending, zone),
        };
    }

    /// <summary>A trend: one entry per month with each indicator's rate (null for a zero denominator).</summary>
    public static JsonArray Trend(IEnumerable<KpiReport> months) =>
        new([.. months.Select(r =>
        {
            var o = new JsonObject { ["month"] = r.Month.Name, ["as_of"] = r.AsOf };
            foreach (var i in r.Indicators)
            {
                o[i.Key] = new JsonObject { ["numerator"] = i.Numerator, ["denominator"] = i.Denominator, ["pending"] = i.Pending, ["rate"] = i.Rate, ["met"] = i.Met };
            }

            return (JsonNode)o;
        })]);

    /// <summary>Serialises with the pack's options.</summary>
    public static string Write(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Options);
    }

    private static JsonObject Items(IReadOnlyDictionary<string, IReadOnlyList<MissedItem>> lists, TimeZoneInfo zone) =>
        new([.. lists.Select(m => new KeyValuePair<string, JsonNode?>(m.Key, new JsonArray([.. m.Value.Select(x => (JsonNode)new JsonObject
        {
            ["ref"] = x.Ref,
            ["at"] = Local(x.At, zone),
            ["who"] = x.Who,
            ["subject"] = x.Subject,
            ["reason"] = x.Reason,
        })])))]);

    private static JsonObject Counts(IReadOnlyDictionary<string, long> counts) =>
        new([.. counts.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]);

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
