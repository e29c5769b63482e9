using System.Globalization;
using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Kpis;

/// <summary>
/// Computes the monthly indicators in SQL: one aggregate over the month's tickets (served by the
/// covering index <c>ix_tickets_kpi</c>), one over its calls, one for daily volumes, and detail
/// lists only for the indicators that missed their target.
/// </summary>
/// <remarks>
/// The plan's "inquiry" (咨询) indicators count every contact that is not a complaint: inquiries,
/// fee inquiries (费用查询) and problem reports (申告). The plan lists them as separate kinds of work
/// but measures replies only for 咨询 and 投诉; counting fee inquiries and reports with inquiries keeps
/// every contact under an indicator.
/// <para>
/// What is not due yet is pending, not missed (see <see cref="KpiReport.Pending"/>): a ticket without
/// a first reply whose reply deadline has not passed, a ticket without a survey answer that is not
/// resolved or was resolved less than <paramref name="surveyWindow"/> ago, a complaint not resolved
/// whose resolution deadline has not passed. Pending tickets are left out of the numerator and the
/// denominator of the indicators they are pending for, as of the report's moment, which comes from
/// the injected <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public sealed partial class KpiCalculator(TicketDatabase database, TimeZoneInfo zone, TimeProvider time, TimeSpan surveyWindow)
{
    /// <summary>The most items listed behind one missed target.</summary>
    public const int MissedListLimit = 200;

    /// <summary>Kinds that count as inquiries in the indicators (stored names).</summary>
    public static readonly IReadOnlyList<string> InquiryKinds = ["inquiry", "fee", "report"];

    // A bucket of 15 minutes: every real zone offset is a multiple of it, so buckets map to local days exactly.
    private const long BucketMs = 15 * 60 * 1000;

    private const string InquiryList = "('inquiry', 'fee', 'report')";

    // A ticket merged into another is a duplicate of one contact: the target counts it, once. The
    // daily volume still shows it (it was a contact that arrived).
    private const string NotMerged = "NOT EXISTS (SELECT 1 FROM ticket_merges WHERE ticket_merges.ticket_id = tickets.id)";

    /// <summary>The desk's time zone.</summary>
    public TimeZoneInfo Zone => zone;

    /// <summary>The indicator pack of one month.</summary>
    public KpiReport Compute(KpiMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        var now = time.GetUtcNow();
        var range = new[]
        {
            ("@from", (object?)month.Start.ToDb()), ("@to", month.End.ToDb()), ("@now", now.ToDb()), ("@surveySince", (now - surveyWindow).ToDb()),
        };
        // The daily volumes are a second full pass over the month's index entries; on their own
        // connection they run beside the indicator aggregate (WAL readers do not block each other).
        var daily = Task.Run(() => database.Read(c => Daily(c, month, range)));
        var report = database.Read(c => Compute(c, month, now, range));
        return report with { Daily = daily.GetAwaiter().GetResult() };
    }

    private KpiReport Compute(DbConnection c, KpiMonth month, DateTimeOffset now, (string, object?)[] range)
    {
        var inquiries = new Counts();
        var complaints = new Counts();
        var levels = new Dictionary<int, LevelCompliance>();
        var byChannel = new Dictionary<string, long> { ["email"] = 0, ["operator"] = 0, ["phone"] = 0 };
        var byKind = new Dictionary<string, long> { ["inquiry"] = 0, ["fee"] = 0, ["report"] = 0, ["complaint"] = 0 };
        using (var cmd = c.Command(
            $"""
            SELECT kind, channel, level, COUNT(*),
                SUM(CASE WHEN first_reply_at IS NOT NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN first_reply_at IS NOT NULL AND first_reply_at <= reply_due_at THEN 1 ELSE 0 END),
                SUM(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END),
                SUM(CASE WHEN repeat_of IS NOT NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at <= resolve_due_at THEN 1 ELSE 0 END),
                SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at > resolve_due_at THEN 1 ELSE 0 END),
                SUM(CASE WHEN resolved_at IS NULL AND resolve_due_at < @now THEN 1 ELSE 0 END),
                SUM(CASE WHEN {ReplyPending} THEN 1 ELSE 0 END),
                SUM(CASE WHEN {SurveyPending} THEN 1 ELSE 0 END)
            FROM tickets
            WHERE accepted_at >= @from AND accepted_at < @to AND {NotMerged}
            GROUP BY kind, channel, level
            """, null, range))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var kind = r.GetString(0);
                var count = r.GetInt64(3);
                byChannel[r.GetString(1)] = byChannel.GetValueOrDefault(r.GetString(1)) + count;
                byKind[kind] = byKind.GetValueOrDefault(kind) + count;
                var target = kind == "complaint" ? complaints : InquiryKinds.Contains(kind) ? inquiries : null;
                target?.Add(count, r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(11), r.GetInt64(12));
                if (kind == "complaint" && !r.IsDBNull(2))
                {
                    var level = r.GetInt32(2);
                    var l = levels.GetValueOrDefault(level) ?? new LevelCompliance(level, 0, 0, 0, 0);
                    levels[level] = l with
                    {
                        Received = l.Received + count,
                        OnTime = l.OnTime + r.GetInt64(8),
                        Late = l.Late + r.GetInt64(9),
                        OpenPastDue = l.OpenPastDue + r.GetInt64(10),
                    };
                }
            }
        }

        long calls = 0, answered = 0;
        using (var cmd = c.Command(
            "SELECT COUNT(*), SUM(answered) FROM calls WHERE started_at >= @from AND started_at < @to", null, range))
        using (var r = cmd.ExecuteReader())
        {
            if (r.Read())
            {
                calls = r.GetInt64(0);
                answered = r.IsDBNull(1) ? 0 : r.GetInt64(1);
            }
        }

        byChannel["hotline-calls"] = calls;
        var indicators = new List<Indicator>
        {
            new("hotline_answer_rate", "热线系统接通率 hotline answer rate", answered, calls, 95, false,
                "calls answered within 60 s of ringing / calls placed"),
            new("inquiry_reply_rate", "咨询回复率 inquiry reply rate", inquiries.Replied, inquiries.ReplyDue, 100, false,
                "inquiries replied to / inquiries received (pending: no reply yet, reply deadline still running)") { Pending = inquiries.ReplyPending },
            new("complaint_reply_rate", "投诉回复率 complaint reply rate", complaints.Replied, complaints.ReplyDue, 100, false,
                "complaints replied to / complaints received (pending: no reply yet, reply deadline still running)") { Pending = complaints.ReplyPending },
            new("inquiry_timely_reply_rate", "咨询回复及时率 inquiry timely-reply rate", inquiries.Timely, inquiries.ReplyDue, 100, false,
                "inquiries whose first reply came by the reply deadline / inquiries received (pending as above)") { Pending = inquiries.ReplyPending },
            new("complaint_timely_reply_rate", "投诉回复及时率 complaint timely-reply rate", complaints.Timely, complaints.ReplyDue, 100, false,
                "complaints whose first reply came by the reply deadline / complaints received (pending as above)") { Pending = complaints.ReplyPending },
            new("repeat_complaint_rate", "重复投诉率 repeat-complaint rate", complaints.Repeats, complaints.Received - complaints.Repeats, 1, true,
                "repeat complaints / (complaints - repeat complaints)"),
            new("inquiry_satisfaction_rate", "咨询满意率 inquiry satisfaction", inquiries.Satisfied, inquiries.SurveyDue, 95, false,
                "inquiries whose customer was satisfied / inquiries received (pending: no answer yet, unresolved or survey still open)") { Pending = inquiries.SurveyPending },
            new("complaint_satisfaction_rate", "投诉满意率 complaint satisfaction", complaints.Satisfied, complaints.SurveyDue, 90, false,
                "complaints whose customer was satisfied / complaints received (pending: no answer yet, unresolved or survey still open)") { Pending = complaints.SurveyPending },
        };

        var missed = new Dictionary<string, IReadOnlyList<MissedItem>>();
        foreach (var indicator in indicators.Where(i => i.Met == false))
        {
            missed[indicator.Key] = Missed(c, indicator.Key, range);
        }

        var pending = new Dictionary<string, IReadOnlyList<MissedItem>>();
        foreach (var indicator in indicators.Where(i => i.Pending > 0))
        {
            pending[indicator.Key] = Pending(c, indicator.Key, range);
        }

        return new KpiReport
        {
            Month = month,
            TimeZone = zone.Id,
            GeneratedAt = now,
            Indicators = indicators,
            Levels = [.. Enumerable.Range(1, 4).Select(l => levels.GetValueOrDefault(l) ?? new LevelCompliance(l, 0, 0, 0, 0))],
            ByChannel = byChannel,
            ByKind = byKind,
            Daily = [],
            Missed = missed,
            Pending = pending,
        };
    }

    private List<DailyVolume> Daily(DbConnection c, KpiMonth month, (string, object?)[] range)
    {
        var days = month.Days().ToDictionary(d => d, _ => new Dictionary<string, long> { ["email"] = 0, ["operator"] = 0, ["phone"] = 0, ["hotline-calls"] = 0 });
        void Collect(string sql)
        {
            using var cmd = c.Command(sql, null, [.. range, ("@bucket", BucketMs)]);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var instant = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0) * BucketMs);
                var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
                if (days.TryGetValue(day, out var counts))
                {
                    counts[r.GetString(1)] += r.GetInt64(2);
                }
            }
        }

        Collect("SELECT accepted_at / @bucket, channel, COUNT(*) FROM tickets WHERE accepted_at >= @from AND accepted_at < @to GROUP BY accepted_at / @bucket, channel");
        Collect("SELECT started_at / @bucket, 'hotline-calls', COUNT(*) FROM calls WHERE started_at >= @from AND started_at < @to GROUP BY started_at / @bucket");
        return [.. days.OrderBy(d => d.Key).Select(d => new DailyVolume(d.Key, d.Value))];
    }

    private static List<MissedItem> Missed(DbConnection c, string key, (string, object?)[] range)
    {
        if (key == "hotline_answer_rate")
        {
            return Read(c, $"""
                SELECT call_key, started_at, COALESCE(caller, '-'), disposition,
                    CASE WHEN answered_at IS NULL THEN 'not answered' ELSE 'answered after more than 60 s' END
                FROM calls WHERE started_at >= @from AND started_at < @to AND answered = 0
                ORDER BY started_at LIMIT {MissedListLimit}
                """, range);
        }

        var (filter, reason) = key switch
        {
            "inquiry_reply_rate" => ($"kind IN {InquiryList} AND first_reply_at IS NULL AND NOT {ReplyPending}", "'no reply'"),
            "complaint_reply_rate" => ($"kind = 'complaint' AND first_reply_at IS NULL AND NOT {ReplyPending}", "'no reply'"),
            "inquiry_timely_reply_rate" => ($"kind IN {InquiryList} AND {NotTimely}", Late),
            "complaint_timely_reply_rate" => ($"kind = 'complaint' AND {NotTimely}", Late),
            "repeat_complaint_rate" => ("kind = 'complaint' AND repeat_of IS NOT NULL", "repeat_of"),
            "inquiry_satisfaction_rate" => ($"kind IN {InquiryList} AND satisfaction <> 'satisfied' AND NOT {SurveyPending}", Satisfaction),
            _ => ($"kind = 'complaint' AND satisfaction <> 'satisfied' AND NOT {SurveyPending}", Satisfaction),
        };
        return Read(c, $"""
            SELECT id, accepted_at, COALESCE(customer_email, customer_phone, customer_name, '-'), subject, {reason}
            FROM tickets WHERE accepted_at >= @from AND accepted_at < @to AND {filter} AND {NotMerged}
            ORDER BY accepted_at, id LIMIT {MissedListLimit}
            """, range);
    }

    /// <summary>
    /// The tickets pending for an indicator, with when they fall due: the reply deadline, or for the
    /// satisfaction indicators the end of the survey window (null while the ticket is unresolved).
    /// </summary>
    private List<MissedItem> Pending(DbConnection c, string key, (string, object?)[] range)
    {
        var kinds = key.StartsWith("inquiry", StringComparison.Ordinal) ? $"kind IN {InquiryList}" : "kind = 'complaint'";
        var survey = key.EndsWith("_satisfaction_rate", StringComparison.Ordinal);
        using var cmd = c.Command(
            $"""
            SELECT id, accepted_at, COALESCE(customer_email, customer_phone, customer_name, '-'), subject,
                {(survey ? "resolved_at" : "reply_due_at")}
            FROM tickets WHERE accepted_at >= @from AND accepted_at < @to AND {kinds} AND {(survey ? SurveyPending : ReplyPending)} AND {NotMerged}
            ORDER BY accepted_at, id LIMIT {MissedListLimit}
            """, null, range);
        using var r = cmd.ExecuteReader();
        var list = new List<MissedItem>();
        while (r.Read())
        {
            var due = r.IsDBNull(4) ? (DateTimeOffset?)null : r.Instant(4);
            var reason = survey
                ? due is { } resolved ? $"pending: resolved, survey answer may come until {LocalText(resolved + surveyWindow)}" : "pending: not resolved yet"
                : $"pending: reply due {LocalText(due!.Value)}";
            list.Add(new MissedItem(TicketReference.Format(r.GetInt64(0)), r.Instant(1), r.GetString(2), r.GetString(3), reason));
        }

        return list;
    }

    private string LocalText(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    // Not answered and the reply deadline not passed (at the deadline itself a reply is still on time).
    private const string ReplyPending = "(first_reply_at IS NULL AND reply_due_at >= @now)";

    // No survey answer yet and one may still come: not resolved, or resolved within the survey window.
    private const string SurveyPending = "(satisfaction = 'none' AND (resolved_at IS NULL OR resolved_at > @surveySince))";

    private const string NotTimely = $"((first_reply_at IS NULL AND NOT {ReplyPending}) OR first_reply_at > reply_due_at)";

    private const string Late = "CASE WHEN first_reply_at IS NULL THEN 'no reply' ELSE 'replied after the reply deadline' END";

    private const string Satisfaction = "CASE WHEN satisfaction = 'unsatisfied' THEN 'unsatisfied' ELSE 'no satisfied answer' END";

    private static List<MissedItem> Read(DbConnection c, string sql, (string, object?)[] range)
    {
        using var cmd = c.Command(sql, null, range);
        using var r = cmd.ExecuteReader();
        var list = new List<MissedItem>();
        while (r.Read())
        {
            var reference = r.GetFieldType(0) == typeof(long) ? TicketReference.Format(r.GetInt64(0)) : r.GetString(0);
            // The repeat list names the complaint each one repeats.
            var reason = r.GetFieldType(4) == typeof(long) ? "repeat of " + TicketReference.Format(r.GetInt64(4)) : r.GetString(4);
            list.Add(new MissedItem(reference, r.Instant(1), r.GetString(2), r.GetString(3), reason));
        }

        return list;
    }

    private sealed class Counts
    {
        public long Received { get; private set; }

        public long Replied { get; private set; }

        public long Timely { get; private set; }

        public long Satisfied { get; private set; }

        public long Repeats { get; private set; }

        public long ReplyPending { get; private set; }

        public long SurveyPending { get; private set; }

        /// <summary>Received and no longer pending for the reply indicators.</summary>
        public long ReplyDue => Received - ReplyPending;

        /// <summary>Received and no longer pending for the satisfaction indicators.</summary>
        public long SurveyDue => Received - SurveyPending;

        public void Add(long received, long replied, long timely, long satisfied, long repeats, long replyPending, long surveyPending)
        {
            Received += received;
            Replied += replied;
            Timely += timely;
            Satisfied += satisfied;
            Repeats += repeats;
            ReplyPending += replyPending;
            SurveyPending += surveyPending;
        }
    }
}
