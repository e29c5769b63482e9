using System.Data.Common;
using System.Text.Json.Nodes;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>The kept inspections (<c>inspect history</c>).</summary>
internal sealed class InspectionHistory(TicketDatabase database, TimeFormat time)
{
    /// <summary>A kept inspection: its id, trigger (daily or cli), node and report.</summary>
    public sealed record Entry(long Id, string Trigger, string Node, InspectionReport Report);

    /// <summary>
    /// Keeps <paramref name="report"/> in the caller's transaction. A daily inspection gives its local
    /// <paramref name="day"/>: when that day is kept already (another node, or before a restart) nothing
    /// is written and null comes back, so the day is reported once.
    /// </summary>
    public long? Keep(DbConnection connection, DbTransaction transaction, InspectionReport report, string trigger, string? day) =>
        connection.Scalar(
            """
            INSERT INTO inspections (started_at, node, trigger, day, result, summary, report)
            VALUES (@at, @node, @trigger, @day, @result, @summary, @report)
            ON CONFLICT (day) DO NOTHING
            RETURNING id
            """,
            transaction,
            ("@at", report.StartedAt.ToDb()),
            ("@node", NodeIdentity.Id),
            ("@trigger", trigger),
            ("@day", day),
            ("@result", Names.Of(report.Worst)),
            ("@summary", report.Summary),
            ("@report", report.Json(time).ToJsonString())) as long?;

    /// <summary>
    /// Keeps a daily inspection and, in the same transaction, raises its report to the person on duty
    /// (problems first); false when the day was kept already, and nothing is sent again.
    /// </summary>
    public async Task<bool> KeepAndNotifyAsync(InspectionReport report, string day, DutyNotices notices, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, tx) =>
        {
            if (Keep(c, tx, report, "daily", day) is null)
            {
                return false;
            }

            var subject = (notices.English ? $"[inspection] {day}: " : $"【巡检】{day}：") + report.Summary;
            notices.Raise(c, tx, "inspection", subject, report.Text(time));
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>The newest <paramref name="limit"/> inspections, newest first.</summary>
    public IReadOnlyList<Entry> List(int limit) => database.Read(c =>
    {
        using var command = c.Command("SELECT id, trigger, node, started_at, report FROM inspections ORDER BY started_at DESC, id DESC LIMIT @limit", null, ("@limit", limit));
        using var r = command.ExecuteReader();
        var list = new List<Entry>();
        while (r.Read())
        {
            list.Add(new Entry(r.GetInt64(0), r.GetString(1), r.GetString(2), InspectionReport.FromJson(JsonNode.Parse(r.GetString(4))!, r.Instant(3))));
        }

        return list;
    });
}
