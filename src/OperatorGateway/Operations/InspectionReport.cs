using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>One inspection: when it began and every check's result, in check order.</summary>
internal sealed record InspectionReport(DateTimeOffset StartedAt, IReadOnlyList<CheckResult> Results)
{
    /// <summary>The worst outcome of any check.</summary>
    public CheckOutcome Worst => Results.Count == 0 ? CheckOutcome.Ok : Results.Max(r => r.Outcome);

    /// <summary>"2 failed, 1 warning, 11 ok".</summary>
    public string Summary =>
        $"{Results.Count(r => r.Outcome == CheckOutcome.Failed)} failed, {Results.Count(r => r.Outcome == CheckOutcome.Warning)} warning, {Results.Count(r => r.Outcome == CheckOutcome.Ok)} ok";

    /// <summary>The results with failures first, then warnings, then the rest, each group in check order.</summary>
    public IEnumerable<CheckResult> ProblemsFirst => Results.OrderByDescending(r => r.Outcome);

    /// <summary>The table <c>ticketgw inspect</c> prints.</summary>
    public string Table()
    {
        var table = new TextTable("CHECK", "RESULT", "DETAIL", "DURATION");
        foreach (var r in Results)
        {
            table.Add(r.Check, Names.Of(r.Outcome), r.Detail, Millis(r.Duration) + " ms");
        }

        return table.ToString();
    }

    /// <summary>The report as mail and chat carry it: a headline, then problems first, one line per check.</summary>
    public string Text(TimeFormat time)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"ticketgw inspection {time.Format(StartedAt)} on {Environment.MachineName}: {Summary}.\n");
        foreach (var r in ProblemsFirst)
        {
            sb.Append(CultureInfo.InvariantCulture, $"[{Names.Of(r.Outcome)}] {r.Check}: {r.Detail}\n");
        }

        return sb.ToString();
    }

    public JsonObject Json(TimeFormat time) => new()
    {
        ["startedAt"] = time.Format(StartedAt),
        ["result"] = Names.Of(Worst),
        ["summary"] = Summary,
        ["checks"] = new JsonArray([.. Results.Select(r => (JsonNode)new JsonObject
        {
            ["check"] = r.Check,
            ["result"] = Names.Of(r.Outcome),
            ["detail"] = r.Detail,
            ["durationMs"] = Millis(r.Duration),
        })]),
    };

    /// <summary>Reads back what <see cref="Json"/> wrote (the kept history).</summary>
    public static InspectionReport FromJson(JsonNode json, DateTimeOffset startedAt) => new(
        startedAt,
        [.. json["checks"]!.AsArray().Select(c => new CheckResult(
            (string)c!["check"]!,
            Names.Parse<CheckOutcome>((string)c["result"]!),
            (string)c["detail"]!,
            TimeSpan.FromMilliseconds((long)c["durationMs"]!)))]);

    private static long Millis(TimeSpan span) => (long)Math.Round(span.TotalMilliseconds);
}
