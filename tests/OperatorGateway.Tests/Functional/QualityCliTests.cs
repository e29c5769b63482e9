using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>The service-quality commands as managers and agents run them: the real executable.</summary>
[RunsLong]
public abstract class QualityCliTests(StoreKind engine)
{
    private static readonly string[] IndicatorKeys =
    [
        "hotline_answer_rate", "inquiry_reply_rate", "complaint_reply_rate", "inquiry_timely_reply_rate",
        "complaint_timely_reply_rate", "repeat_complaint_rate", "inquiry_satisfaction_rate", "complaint_satisfaction_rate",
    ];

    internal static async Task Create(Desk desk, string kind, string channel, string accepted, string subject, string? level = null)
    {
        var args = new List<string> { "tickets", "create", "--channel", channel, "--kind", kind, "--subject", subject, "--text", "内容", "--accepted", accepted };
        args.AddRange(channel == "email" ? ["--customer-email", "user@example.com"] : ["--customer-phone", "13800138000"]);
        if (level is not null)
        {
            args.AddRange(["--level", level]);
        }

        var r = await desk.RunAsync([.. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    [Fact]
    public async Task KpiMonth_TicketsRecordedWithAccepted_JsonCsvAndTrend()
    {
        using var desk = new Desk(engine);
        await Create(desk, "inquiry", "email", "2026-03-02T10:00:00+08:00", "怎么订购");
        await Create(desk, "fee", "phone", "2026-03-31T23:59:00+08:00", "话费查询");
        await Create(desk, "complaint", "phone", "2026-03-15T09:00:00+08:00", "扣费投诉", "2");
        await Create(desk, "complaint", "phone", "2026-04-01T00:00:00+08:00", "四月投诉", "1");

        var json = await desk.RunAsync("kpi", "--month", "2026-03", "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var indicators = doc.RootElement.GetProperty("indicators");
        Assert.Equal(IndicatorKeys, indicators.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, indicators.GetProperty("inquiry_reply_rate").GetProperty("denominator").GetInt64());   // inquiry + fee inquiry
        Assert.Equal(0, indicators.GetProperty("complaint_reply_rate").GetProperty("numerator").GetInt64());
        Assert.Equal(1, indicators.GetProperty("complaint_reply_rate").GetProperty("denominator").GetInt64());
        Assert.Equal(JsonValueKind.Null, indicators.GetProperty("hotline_answer_rate").GetProperty("rate").ValueKind);
        Assert.Equal(1, doc.RootElement.GetProperty("resolution_by_level")[1].GetProperty("received").GetInt64());
        Assert.Equal(1, doc.RootElement.GetProperty("by_kind").GetProperty("complaint").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00\z", doc.RootElement.GetProperty("as_of").GetString());
        Assert.Equal(0, indicators.GetProperty("complaint_reply_rate").GetProperty("pending").GetInt64());

        var csv = await desk.RunAsync("kpi", "--month", "2026-03", "--csv");
        var lines = csv.Stdout.TrimEnd().Split('\n');
        Assert.Equal("month,indicator,numerator,denominator,rate_percent,target,met,pending,as_of", lines[0]);
        Assert.StartsWith("2026-03,complaint_reply_rate,0,1,0.00,>= 100%,no,0,20", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("2026-03,hotline_answer_rate,0,0,,>= 95%,,0,20", lines[1], StringComparison.Ordinal);

        var trend = await desk.RunAsync("kpi", "--from", "2026-02", "--to", "2026-04", "--json");
        using var trendDoc = JsonDocument.Parse(trend.Stdout);
        Assert.Equal(["2026-02", "2026-03", "2026-04"], trendDoc.RootElement.EnumerateArray().Select(m => m.GetProperty("month").GetString()));
        Assert.Equal(1, trendDoc.RootElement[2].GetProperty("complaint_reply_rate").GetProperty("denominator").GetInt64());
    }

    [Fact]
    public async Task KpiMonth_StillRunningWithComplaintNotDueYet_TextShowsPendingAndAsOf()
    {
        using var desk = new Desk(engine);
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        // Level 4, accepted now: its reply (2 h) and resolution (7 working days) deadlines are both ahead.
        await Create(desk, "complaint", "phone", now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), "扣费投诉", "4");

        var r = await desk.RunAsync("kpi", "--month", now.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"^Service quality \d{4}-\d\d \(Asia/Shanghai\), as of \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00\n", r.Stdout);
        Assert.Matches(@"complaint_reply_rate +0 +0 +1 +n/a \(nothing due yet, 1 pending\) +>= 100% +pending", r.Stdout);
        Assert.Matches(@"\n4 +1 +0 +0 +0 +1\s*\n", r.Stdout);
        Assert.DoesNotContain(" NO", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallsImport_BadRow_LineNumberStrictRefusesAndReimportCountsNothingTwice()
    {
        using var desk = new Desk(engine);
        var file = Path.Combine(desk.Path, "calls.csv");
        await File.WriteAllTextAsync(file, """
            start,answer,end,caller,disposition
            2026-03-03 09:00:00,2026-03-03 09:00:20,2026-03-03 09:05:00,13800138000,ANSWERED
            2026-03-03 10:00:00,2026-03-03 10:01:10,2026-03-03 10:05:00,13800138001,ANSWERED
            2026-03-03 11:00:00,,not-a-time,13800138002,NO ANSWER
            """);

        var strict = await desk.RunAsync("calls", "import", file, "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("line 4: the end time 'not-a-time' is not a time", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("0 call", (await desk.RunAsync("calls", "list", "--month", "2026-03")).Stdout, StringComparison.Ordinal);

        var lenient = await desk.RunAsync("calls", "import", file);
        Assert.Equal(1, lenient.ExitCode);
        Assert.StartsWith("2 new call(s) imported, 0 already known, 1 bad row(s) skipped.", lenient.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[#", lenient.Stderr, StringComparison.Ordinal);   // no progress bar when stderr is not a terminal

        var again = await desk.RunAsync("calls", "import", file);
        Assert.StartsWith("0 new call(s) imported, 2 already known", again.Stdout, StringComparison.Ordinal);

        var list = await desk.RunAsync("calls", "list", "--month", "2026-03", "--json");
        using var doc = JsonDocument.Parse(list.Stdout);
        Assert.Equal([true, false], doc.RootElement.EnumerateArray().Select(c => c.GetProperty("answered").GetBoolean()));
        Assert.Equal(70, doc.RootElement[1].GetProperty("waitSeconds").GetInt64());
    }

    [Fact]
    public async Task TicketsList_DueWithin_OnlyTicketsAboutToBreach()
    {
        using var desk = new Desk(engine);
        var ninetyMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-90).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await Create(desk, "complaint", "phone", ninetyMinutesAgo, "快到期", "1");
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await Create(desk, "complaint", "phone", now, "刚受理", "4");

        var soon = await desk.RunAsync("tickets", "list", "--due-within", "1h", "--json");
        Assert.True(soon.ExitCode == 0, soon.Stderr);
        using var doc = JsonDocument.Parse(soon.Stdout);
        Assert.Equal(["TG-000001"], doc.RootElement.EnumerateArray().Select(t => t.GetProperty("ref").GetString()));

        var later = await desk.RunAsync("tickets", "list", "--due-within", "2h30m", "--json");
        using var laterDoc = JsonDocument.Parse(later.Stdout);
        Assert.Equal(2, laterDoc.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Serve_OverdueComplaintAndWebhook_BreachAlertPostedOnceByTheHostedWorker()
    {
        using var desk = new Desk(engine);
        await using var robot = await WebhookReceiver.StartAsync(failFirst: 1);
        var threeHoursAgo = DateTimeOffset.UtcNow.AddHours(-3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await Create(desk, "complaint", "phone", threeHoursAgo, "扣费投诉", "1");
        var env = new Dictionary<string, string>
        {
            ["Alerts__ScanInterval"] = "00:00:01",
            ["Alerts__Webhook__Url"] = robot.Url,
            ["Alerts__Webhook__RetryDelay"] = "00:00:00.050",
            ["Duty__People__0__Name"] = "值班员",
            ["Duty__People__0__Mobile"] = "13800000009",
            ["Duty__People__0__Shifts__0__Days__0"] = DateTime.Now.DayOfWeek.ToString(),
            ["Duty__People__0__Shifts__0__Days__1"] = DateTime.Now.AddDays(-1).DayOfWeek.ToString(),
            ["Duty__People__0__Shifts__0__From"] = "00:00:00",
            ["Duty__People__0__Shifts__0__To"] = "00:00:00",
        };
        string log;
        await using (var gateway = desk.InMemory(env).Start())
        {
            var worker = gateway.Worker<AlertWorker>();
            for (var i = 0; i < 200 && robot.Accepted.Count == 0; i++)
            {
                await Task.Delay(50);
            }

            // More scans, none of which may post again: the round that posted, then at least one whole round after it.
            var rounds = worker.Rounds;
            await Eventually.Until(() => worker.Rounds >= rounds + 2, "two more alert scans after the post");
            log = gateway.Log;
        }

        Assert.True(robot.Accepted.Count == 1, $"{robot.Accepted.Count} alert(s) posted; gateway log:\n{log}");
        var posted = robot.Accepted[0];
        Assert.DoesNotContain("test-robot-key", log, StringComparison.Ordinal);   // the robot key is a secret
        Assert.Equal(2, robot.Attempts);   // one 500, then accepted
        Assert.Contains("TG-000001", posted.GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);
        var show = await desk.RunAsync("tickets", "show", "TG-000001", "--json");
        using var doc = JsonDocument.Parse(show.Stdout);
        Assert.Single(doc.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "alert");
    }
}

public sealed class QualityCliTestsOnSqlite() : QualityCliTests(StoreKind.Sqlite);

public sealed class QualityCliTestsOnPostgres() : QualityCliTests(StoreKind.Postgres);
