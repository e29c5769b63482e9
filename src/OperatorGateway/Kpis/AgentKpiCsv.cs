using System.Globalization;
using System.Text;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Kpis;

/// <summary>
/// CSV of the figures per agent: one row per agent, then the row of no agent account (empty login).
/// Rates in percent (empty without a denominator), the median first-reply time in seconds.
/// </summary>
internal static class AgentKpiCsv
{
    public const string Header = "month,login,name,tickets_owned,replies_sent,first_replies,first_replies_on_time,first_reply_on_time_rate,"
        + "complaints_resolved,complaints_resolved_on_time,median_first_reply_seconds,surveys_received,satisfied,satisfaction_rate,repeat_complaints,as_of";

    public static string Write(AgentKpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var a in report.Agents)
        {
            sb.AppendJoin(',',
                report.Month.Name, Field(a.Login ?? ""), Field(a.Name), N(a.TicketsOwned), N(a.RepliesSent), N(a.FirstReplies), N(a.FirstRepliesOnTime),
                Rate(a.FirstReplyOnTimeRate), N(a.ComplaintsResolved), N(a.ComplaintsResolvedOnTime),
                a.MedianFirstReply is { } m ? Math.Round(m.TotalSeconds, 1).ToString("0.#", CultureInfo.InvariantCulture) : "",
                N(a.SurveysReceived), N(a.Satisfied), Rate(a.SatisfactionRate), N(a.RepeatComplaints), report.AsOf).Append('\n');
        }

        return sb.ToString();
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Rate(decimal? rate) => rate?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";

    // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled (display names are free text).
    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
