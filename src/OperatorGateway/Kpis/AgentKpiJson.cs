using System.Text.Json.Nodes;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Kpis;

/// <summary>
/// The JSON of the figures per agent (<c>kpi --month M --by-agent --json</c>): one object per agent and
/// one with <c>"login": null</c> for work done by no agent account, then the totals over all rows.
/// Rates are percentages, null without a denominator; the median is in seconds, null without first
/// replies. With <c>--refs</c> each row has <c>refs.{figure}[]</c>, the ticket references behind each
/// figure, at most <see cref="KpiCalculator.MissedListLimit"/>.
/// </summary>
internal static class AgentKpiJson
{
    /// <summary>The month's figures per agent.</summary>
    public static JsonObject Write(AgentKpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var totals = new JsonObject();
        foreach (var key in AgentFigures.FigureKeys)
        {
            totals[key] = report.Total(key);
        }

        return new JsonObject
        {
            ["month"] = report.Month.Name,
            ["time_zone"] = report.TimeZone,
            ["as_of"] = report.AsOf,
            ["agents"] = new JsonArray([.. report.Agents.Select(a => (JsonNode)Row(a))]),
            ["totals"] = totals,
        };
    }

    private static JsonObject Row(AgentFigures a)
    {
        var row = new JsonObject
        {
            ["login"] = a.Login,
            ["name"] = a.Name,
            ["role"] = a.Role,
            ["active"] = a.Active,
            ["tickets_owned"] = a.TicketsOwned,
            ["replies_sent"] = a.RepliesSent,
            ["first_replies"] = a.FirstReplies,
            ["first_replies_on_time"] = a.FirstRepliesOnTime,
            ["first_reply_on_time_rate"] = a.FirstReplyOnTimeRate,
            ["complaints_resolved"] = a.ComplaintsResolved,
            ["complaints_resolved_on_time"] = a.ComplaintsResolvedOnTime,
            ["resolved_on_time_rate"] = a.ResolvedOnTimeRate,
            ["median_first_reply_seconds"] = a.MedianFirstReply is { } m ? Math.Round(m.TotalSeconds, 1) : null,
            ["surveys_received"] = a.SurveysReceived,
            ["satisfied"] = a.Satisfied,
            ["satisfaction_rate"] = a.SatisfactionRate,
            ["repeat_complaints"] = a.RepeatComplaints,
        };
        if (a.Refs is { } refs)
        {
            row["refs"] = new JsonObject([.. AgentFigures.FigureKeys.Select(k =>
                new KeyValuePair<string, JsonNode?>(k, new JsonArray([.. refs[k].Select(r => (JsonNode)r)])))]);
        }

        return row;
    }
}
