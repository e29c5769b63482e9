using System.Globalization;
using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Agents;

/// <summary>
/// The figures per agent (<c>kpi --by-agent</c>) of a small month built through the real CLI, with the
/// agents' mail delivered to a real SMTP sink (a mail's first reply is when SMTP accepted it). The
/// expected figures are worked out by hand in the comments, not by the report's SQL.
/// </summary>
[RunsLong]
public abstract class AgentKpiCliTests(StoreKind engine)
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task KpiByAgent_SmallMonthOfTwoAgentsAndALead_GivesTheHandComputedFiguresInJsonCsvHtmlAndRefs()
    {
        using var desk = new Desk(engine);
        await desk.InitAsync();
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var stack = await ReplyStack.StartAsync(desk.Db, sink.Port);     // delivers the queued mail; imports Agents:0 (lisi, 李四)
        // Replies to inquiries are due within a day (on time here); fee inquiries and complaints within one minute
        // (so their replies, made hours after the back-dated acceptance, are late). Complaint levels keep the plan's times.
        var env = ReplyStack.Environment(null);
        env["Sla__FirstReply__Inquiry"] = "1.00:00:00";
        env["Sla__FirstReply__Fee"] = "00:01:00";
        env["Sla__FirstReply__Complaint"] = "00:01:00";

        // Every ticket is accepted inside one month, at least 2 h 45 min before now: a level-1 complaint
        // (2 h) resolved now is late. Near the start of a month that month is the previous one.
        var now = DateTimeOffset.UtcNow;
        var local = TimeZoneInfo.ConvertTime(now, China);
        var monthStart = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var baseAt = now - monthStart >= TimeSpan.FromHours(4) ? now.AddHours(-3) : monthStart.AddHours(-2).AddMinutes(-5);
        var month = TimeZoneInfo.ConvertTime(baseAt, China).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        string At(int minutesBefore) => baseAt.AddMinutes(-minutesBefore).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        async Task Run(params string[] args)
        {
            var r = await desk.RunAsync(env, args);
            Assert.True(r.ExitCode == 0, $"ticketgw {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        }

        await Run("agents", "add", "amy", "--name", "Amy Wang", "--email", "amy@desk.test", "--role", "agent");
        await Run("agents", "add", "bob", "--name", "Bob Li", "--email", "bob@desk.test", "--role", "agent");
        await Run("agents", "add", "lead", "--name", "Lead Zhao", "--email", "lead@desk.test", "--role", "lead");

        Task Mail(string kind, string customer, string subject, int before, params string[] more) =>
            Run(["tickets", "create", "--channel", "email", "--kind", kind, "--customer-email", customer, "--subject", subject, "--text", subject, "--accepted", At(before), .. more]);
        await Mail("inquiry", "c1@customer.test", "怎么订购", 50);                           // TG-000001
        await Mail("inquiry", "c2@customer.test", "怎么退订", 49);                           // TG-000002
        await Mail("fee", "c3@customer.test", "话费查询", 48);                               // TG-000003: reply due 1 min later
        await Run("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000",
            "--subject", "彩铃", "--text", "来电", "--accepted", At(47));                       // TG-000004
        await Mail("complaint", "c5@customer.test", "多扣费", 46, "--level", "1");           // TG-000005: resolve due 2 h later
        // The same customer and subject 6 min later, when TG-000005 was past its first-reply deadline unanswered: a repeat of it.
        await Mail("complaint", "c5@customer.test", "多扣费", 40, "--level", "1");           // TG-000006
        await Mail("complaint", "c7@customer.test", "无法退订", 30, "--level", "2");         // TG-000007: resolve due 48 h later
        await Run("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13900139000",
            "--subject", "资费", "--text", "来电", "--accepted", At(20));                       // TG-000008

        await Run("reply", "TG-000001", "--text", "请发送 KT", "--as", "amy");                 // amy owns it (an unowned ticket goes to who replies)
        await Run("reply", "TG-000002", "--text", "请发送 TD", "--as", "amy");
        await Run("tickets", "take", "TG-000002", "--as", "bob");                              // ... and bob takes it afterwards
        await Run("reply", "TG-000003", "--text", "本月 58 元", "--as", "amy");
        await Run("tickets", "take", "TG-000004", "--as", "bob");
        await Run("reply", "TG-000004", "--by-phone", "--text", "已在电话中告知", "--as", "bob");
        await Run("reply", "TG-000005", "--text", "正在核查", "--as", "amy");
        await Run("tickets", "resolve", "TG-000005", "--text", "已退款", "--as", "amy");
        await Run("tickets", "assign", "TG-000007", "bob", "--as", "lead");
        await Run("reply", "TG-000007", "--text", "正在处理", "--as", "bob");
        await Run("tickets", "resolve", "TG-000007", "--text", "已退订", "--as", "bob");
        await Run("tickets", "resolve", "TG-000004", "--text", "已告知", "--as", "bob");
        await Run("tickets", "satisfaction", "TG-000004", "satisfied", "--as", "bob");
        await Run("tickets", "resolve", "TG-000008", "--text", "已告知资费");                  // no --as: cli:<os user>, no agent account
        await Run("tickets", "satisfaction", "TG-000008", "unsatisfied", "--as", "lead");     // counts for the resolver, not the recorder
        await stack.WaitUntilDeliveredAsync();

        // Hand-worked figures (tickets TG-00000N written as TN):
        // owned now:       amy T1 T3 T5 = 3; bob T2 (taken) T4 (taken) T7 (assigned) = 3; nobody T6 T8 = 2.
        // replies sent:    amy: replies T1 T2 T3 T5 + the resolution mail of T5 = 5; bob: phone answer T4, reply T7,
        //                  resolution mail of T7 = 3 (T4 and T8 are phone tickets: their resolution mails nobody);
        //                  surveys and acknowledgements are automatic, not replies.
        // first replies:   amy T1 T2 (inquiries, due in a day: on time), T3 (fee, due 1 min after: late), T5 (complaint:
        //                  late) = 4, 2 on time, 50%; bob T4 (phone, inquiry: on time), T7 (complaint: late) = 2, 1 on time, 50%;
        //                  T6 and T8 have no first reply: nobody's.
        // resolved:        complaints T5 by amy, ~3 h 46 min after acceptance (level 1, 2 h): late; T7 by bob within 48 h.
        // satisfaction:    T4 satisfied, resolved by bob: bob 1/1; T8 unsatisfied, resolved by cli (no account): 0/1 in the last row.
        // repeats:         T6 repeats T5, which amy resolved: amy 1.
        using var json = await desk.JsonAsync(["kpi", "--month", month, "--by-agent", "--json", "--refs"]);
        var rows = json.RootElement.GetProperty("agents").EnumerateArray().Select(e => e.Clone()).ToList();
        Assert.Equal(["amy", "bob", "lead", "lisi", null], rows.Select(r => r.GetProperty("login").GetString()));
        Assert.Equal(["Amy Wang", "Bob Li", "Lead Zhao", "李四", "(no agent account)"], rows.Select(r => r.GetProperty("name").GetString()));
        string[] keys = ["tickets_owned", "replies_sent", "first_replies", "first_replies_on_time", "complaints_resolved",
            "complaints_resolved_on_time", "surveys_received", "satisfied", "repeat_complaints"];
        long[][] expected =
        [
            [3, 5, 4, 2, 1, 0, 0, 0, 1],   // amy
            [3, 3, 2, 1, 1, 1, 1, 1, 0],   // bob
            [0, 0, 0, 0, 0, 0, 0, 0, 0],   // lead: assigned, recorded a satisfaction; neither is a figure of theirs
            [0, 0, 0, 0, 0, 0, 0, 0, 0],   // lisi
            [2, 0, 0, 0, 0, 0, 1, 0, 0],   // no agent account
        ];
        Assert.Equal(expected, rows.Select(r => keys.Select(k => r.GetProperty(k).GetInt64()).ToArray()));
        Assert.Equal([50m, 50m], rows.Take(2).Select(r => r.GetProperty("first_reply_on_time_rate").GetDecimal()));
        Assert.Equal((0m, 100m), (rows[0].GetProperty("resolved_on_time_rate").GetDecimal(), rows[1].GetProperty("resolved_on_time_rate").GetDecimal()));
        Assert.Equal((JsonValueKind.Null, 100m, 0m), (rows[0].GetProperty("satisfaction_rate").ValueKind, rows[1].GetProperty("satisfaction_rate").GetDecimal(), rows[4].GetProperty("satisfaction_rate").GetDecimal()));
        // Totals reconcile with the monthly pack: first replies = tickets replied (4 inquiries + 2 complaints).
        Assert.Equal([8L, 8, 6, 3, 2, 1, 2, 1, 1], keys.Select(k => json.RootElement.GetProperty("totals").GetProperty(k).GetInt64()));
        using (var pack = await desk.JsonAsync(["kpi", "--month", month, "--json"]))
        {
            var i = pack.RootElement.GetProperty("indicators");
            Assert.Equal(6, i.GetProperty("inquiry_reply_rate").GetProperty("numerator").GetInt64() + i.GetProperty("complaint_reply_rate").GetProperty("numerator").GetInt64());
            Assert.Equal(1, i.GetProperty("repeat_complaint_rate").GetProperty("numerator").GetInt64());
        }

        // The medians from the tickets' own times: amy's four first replies, the mean of the middle two; bob's two, their mean.
        // `tickets show` prints whole seconds, so within a second; the tickets were accepted minutes apart.
        var took = new Dictionary<string, double>();
        int[] replied = [1, 2, 3, 4, 5, 7];
        foreach (var n in replied)
        {
            using var shown = await desk.JsonAsync(["tickets", "show", $"TG-00000{n}", "--json"]);
            took[$"TG-00000{n}"] = (Instant(shown, "firstReplyAt") - Instant(shown, "acceptedAt")).TotalSeconds;
        }

        string[] amyFirst = ["TG-000001", "TG-000002", "TG-000003", "TG-000005"];
        var amy = amyFirst.Select(r => took[r]).Order().ToArray();
        Assert.Equal((amy[1] + amy[2]) / 2, rows[0].GetProperty("median_first_reply_seconds").GetDouble(), 1.0);
        Assert.Equal((took["TG-000004"] + took["TG-000007"]) / 2, rows[1].GetProperty("median_first_reply_seconds").GetDouble(), 1.0);
        Assert.Equal(JsonValueKind.Null, rows[4].GetProperty("median_first_reply_seconds").ValueKind);

        // --refs: exactly the tickets behind each figure, oldest first.
        string[] Refs(int row, string key) => [.. rows[row].GetProperty("refs").GetProperty(key).EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(["TG-000001", "TG-000003", "TG-000005"], Refs(0, "tickets_owned"));
        Assert.Equal(["TG-000001", "TG-000002", "TG-000003", "TG-000005"], Refs(0, "replies_sent"));
        Assert.Equal(["TG-000001", "TG-000002", "TG-000003", "TG-000005"], Refs(0, "first_replies"));
        Assert.Equal(["TG-000001", "TG-000002"], Refs(0, "first_replies_on_time"));
        Assert.Equal(["TG-000005"], Refs(0, "complaints_resolved"));
        Assert.Empty(Refs(0, "complaints_resolved_on_time"));
        Assert.Equal(["TG-000006"], Refs(0, "repeat_complaints"));
        Assert.Equal(["TG-000002", "TG-000004", "TG-000007"], Refs(1, "tickets_owned"));
        Assert.Equal(["TG-000004", "TG-000007"], Refs(1, "first_replies"));
        Assert.Equal(["TG-000004"], Refs(1, "first_replies_on_time"));
        Assert.Equal(["TG-000007"], Refs(1, "complaints_resolved_on_time"));
        Assert.Equal(["TG-000004"], Refs(1, "satisfied"));
        Assert.Equal(["TG-000006", "TG-000008"], Refs(4, "tickets_owned"));
        Assert.Equal(["TG-000008"], Refs(4, "surveys_received"));
        Assert.Empty(Refs(4, "satisfied"));
        using (var plain = await desk.JsonAsync(["kpi", "--month", month, "--by-agent", "--json"]))
        {
            Assert.False(plain.RootElement.GetProperty("agents")[0].TryGetProperty("refs", out _));
        }

        // CSV: the same figures, one line per row (median and as_of vary with the run, checked above).
        var csv = (await desk.RunAsync(env, "kpi", "--month", month, "--by-agent", "--csv")).Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal("month,login,name,tickets_owned,replies_sent,first_replies,first_replies_on_time,first_reply_on_time_rate,"
            + "complaints_resolved,complaints_resolved_on_time,median_first_reply_seconds,surveys_received,satisfied,satisfaction_rate,repeat_complaints,as_of", csv[0]);
        Assert.Equal(
            [
                $"{month},amy,Amy Wang,3,5,4,2,50.00,1,0,*,0,0,,1",
                $"{month},bob,Bob Li,3,3,2,1,50.00,1,1,*,1,1,100.00,0",
                $"{month},lead,Lead Zhao,0,0,0,0,,0,0,,0,0,,0",
                $"{month},lisi,李四,0,0,0,0,,0,0,,0,0,,0",
                $"{month},,(no agent account),2,0,0,0,,0,0,,1,0,0.00,0",
            ],
            csv.Skip(1).Select(line => string.Join(',', line.Split(',').SkipLast(1).Select((f, i) => i == 10 && f.Length > 0 ? "*" : f))));

        // The printed report has the per-agent section with the same numbers.
        var html = Path.Combine(desk.Path, "report.html");
        await Run("kpi", "--month", month, "--html", html);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("Figures per agent</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<td>amy</td><td>Amy Wang</td><td class=\"n\">3</td><td class=\"n\">5</td><td class=\"n\">4</td><td class=\"n\">2</td><td class=\"n\">50.00%</td>", page, StringComparison.Ordinal);
        Assert.Matches("<td>bob</td><td>Bob Li</td><td class=\"n\">3</td><td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">50.00%</td><td class=\"n\">[^<]+</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">100.00%</td><td class=\"n\">0</td>", page);
        Assert.Contains("<tr class=\"other\"><td>-</td><td>(no agent account)</td><td class=\"n\">2</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KpiByAgent_UnknownOptionCombinations_OneClearLineEach()
    {
        using var desk = new Desk(engine);
        await desk.InitAsync();

        var trend = await desk.RunAsync("kpi", "--from", "2026-01", "--to", "2026-02", "--by-agent");
        var refsAlone = await desk.RunAsync("kpi", "--month", "2026-11", "--refs");
        var refsCsv = await desk.RunAsync("kpi", "--month", "2026-11", "--by-agent", "--csv", "--refs");
        var both = await desk.RunAsync("kpi", "--month", "2026-11", "--by-agent", "--json", "--csv");
        var badMonth = await desk.RunAsync("kpi", "--month", "2026-13", "--by-agent");

        Assert.Equal((2, "ticketgw: kpi --by-agent: the figures per agent are for one month; give --month YYYY-MM (not --from/--to)."), (trend.ExitCode, trend.Stderr.Trim()));
        const string Refs = "ticketgw: kpi --refs: the tickets behind the figures per agent come with --by-agent --json (e.g. kpi --month 2026-11 --by-agent --json --refs).";
        Assert.Equal((2, Refs), (refsAlone.ExitCode, refsAlone.Stderr.Trim()));
        Assert.Equal((2, Refs), (refsCsv.ExitCode, refsCsv.Stderr.Trim()));
        Assert.Equal((2, "ticketgw: kpi: choose one of --json and --csv."), (both.ExitCode, both.Stderr.Trim()));
        Assert.Equal((2, "ticketgw: kpi --month: '2026-13' is not a month such as 2026-11."), (badMonth.ExitCode, badMonth.Stderr.Trim()));
        Assert.All(new[] { trend, refsAlone, refsCsv, both, badMonth }, r => Assert.Equal("", r.Stdout));
    }

    private static DateTimeOffset Instant(JsonDocument ticket, string name) =>
        DateTimeOffset.Parse(ticket.RootElement.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}

public sealed class AgentKpiCliTestsOnSqlite() : AgentKpiCliTests(StoreKind.Sqlite);

public sealed class AgentKpiCliTestsOnPostgres() : AgentKpiCliTests(StoreKind.Postgres);
