using System.Globalization;
using System.Text.Json;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// Phone contacts and alerts on the real executable: answers given on the phone, satisfaction said on
/// the phone, tickets linked to their calls, and <c>alerts list</c> over alerts a real <c>ticketgw
/// serve</c> raised for an operator's reply_by, across a restart of that process.
/// </summary>
[RunsLong]
public abstract class PhoneCliTests(StoreKind engine)
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task ReplyByPhone_PhoneTicket_FirstReplyRecordedAndNothingMailed()
    {
        using var desk = new Desk(engine);
        var env = ReplyStack.Environment(null);                                   // mail is on: anything mailed would be in the outbox
        Assert.Equal(0, (await desk.RunAsync(env, "tickets", "create", "--channel", "phone", "--kind", "inquiry",
            "--customer-phone", "138 0013 8000", "--subject", "怎么退订", "--text", "来电")).ExitCode);

        using var replied = await JsonAsync(desk, env, "reply", "TG-000001", "--by-phone", "--text", "发送 TD 到 10086 即可退订", "--json");
        var withTemplate = await desk.RunAsync(env, "reply", "TG-000001", "--by-phone", "--template", "agent-reply");
        using var shown = await JsonAsync(desk, env, "tickets", "show", "TG-000001", "--json");
        using var outbox = await JsonAsync(desk, env, "outbox", "list", "--json");

        Assert.Equal("open", replied.RootElement.GetProperty("status").GetString());
        var firstReply = DateTimeOffset.Parse(replied.RootElement.GetProperty("firstReplyAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(firstReply <= DateTimeOffset.Parse(replied.RootElement.GetProperty("replyDueAt").GetString()!, CultureInfo.InvariantCulture));
        var answer = shown.RootElement.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "outbound");
        Assert.Equal(("phone 13800138000", "发送 TD 到 10086 即可退订"), (answer.GetProperty("to").GetString(), answer.GetProperty("text").GetString()));
        Assert.Equal(0, outbox.RootElement.GetArrayLength());
        Assert.Equal(2, withTemplate.ExitCode);
        Assert.Equal("ticketgw: reply --by-phone: give --text saying what the customer was told; --template and --resolve do not apply to an answer given on the phone.", withTemplate.Stderr.Trim());
    }

    [Fact]
    public async Task TicketsSatisfaction_PhoneTicket_RecordedOnceResolvedAndCountedInTheMonth()
    {
        using var desk = new Desk(engine);
        await desk.OkAsync("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000", "--subject", "怎么退订", "--text", "来电");

        var early = await desk.RunAsync("tickets", "satisfaction", "TG-000001", "satisfied");
        await desk.OkAsync("tickets", "resolve", "TG-000001", "--text", "已告知退订方法");
        var wrong = await desk.RunAsync("tickets", "satisfaction", "TG-000001", "happy");
        using var recorded = await desk.JsonAsync("tickets", "satisfaction", "TG-000001", "satisfied", "--json");
        var month = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, China).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var kpi = await desk.JsonAsync("kpi", "--month", month, "--json");

        Assert.Equal((1, "ticketgw: TG-000001 is new; satisfaction is recorded once it is resolved."), (early.ExitCode, early.Stderr.Trim()));
        Assert.Equal((2, "ticketgw: tickets satisfaction: 'happy' is not an answer; use satisfied or unsatisfied."), (wrong.ExitCode, wrong.Stderr.Trim()));
        Assert.Equal("satisfied", recorded.RootElement.GetProperty("satisfaction").GetString());
        // The one inquiry of the month, resolved and answered: satisfied 1 of 1.
        var satisfaction = kpi.RootElement.GetProperty("indicators").GetProperty("inquiry_satisfaction_rate");
        Assert.Equal((1, 1), (satisfaction.GetProperty("numerator").GetInt64(), satisfaction.GetProperty("denominator").GetInt64()));
    }

    [Fact]
    public async Task CallsList_TicketCreatedForACallAndOneMatchedOnImport_ShowsTheTicketsOfEachCall()
    {
        using var desk = new Desk(engine);
        var named = await desk.RunAsync("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000",
            "--subject", "怎么退订", "--text", "来电", "--accepted", "2026-11-03T09:16:00+08:00", "--call", "1762132500.17");
        // The second call of the file: 13800138001, 10:00-10:05, answered; the ticket was written up at 10:12.
        await desk.OkAsync("tickets", "create", "--channel", "phone", "--kind", "fee", "--customer-phone", "+86 138 0013 8001",
            "--subject", "话费查询", "--text", "来电", "--accepted", "2026-11-03T10:12:00+08:00");
        var emailWithCall = await desk.RunAsync("tickets", "create", "--channel", "email", "--kind", "inquiry", "--customer-email", "a@customer.test",
            "--subject", "x", "--text", "x", "--call", "1762132500.17");
        var file = Path.Combine(desk.Path, "Master.csv");
        File.Copy(Path.Combine(SmtpSink.RepoRoot, "tests", "Tickets.Tests", "TestData", "Master.csv"), file);
        using (var before = await desk.JsonAsync("tickets", "show", "TG-000001", "--json"))
        {
            // Named at creation, not imported yet: the key and how it was linked, no record from the switch.
            var call = before.RootElement.GetProperty("call");
            Assert.Equal(("uid:1762132500.17", "agent"), (call.GetProperty("key").GetString(), call.GetProperty("linkedBy").GetString()));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, call.GetProperty("startedAt").ValueKind);
        }

        var imported = await desk.RunAsync("calls", "import", file);
        using var calls = await desk.JsonAsync("calls", "list", "--month", "2026-11", "--json");
        var table = await desk.RunAsync("calls", "list", "--month", "2026-11");
        using var linked = await desk.JsonAsync("tickets", "show", "TG-000002", "--json");
        var shown = await desk.RunAsync("tickets", "show", "TG-000002");

        Assert.Equal(0, named.ExitCode);
        Assert.EndsWith("Call uid:1762132500.17.", named.Stdout.Trim(), StringComparison.Ordinal);
        Assert.Equal((2, "ticketgw: tickets create: --call is for phone tickets (--channel phone)."), (emailWithCall.ExitCode, emailWithCall.Stderr.Trim()));
        Assert.Equal("4 new call(s) imported, 0 already known, 0 bad row(s) skipped.\n1 phone ticket(s) linked to their call.\n", imported.Stdout.ReplaceLineEndings("\n"));
        Assert.Equal(
            [["TG-000001"], ["TG-000002"], [], []],
            calls.RootElement.EnumerateArray().Select(c => c.GetProperty("tickets").EnumerateArray().Select(t => t.GetString()).ToArray()));
        Assert.Contains("TG-000002", table.Stdout, StringComparison.Ordinal);
        // Linked by the import (same caller, within the call's time): the switch's record is shown with it.
        var second = linked.RootElement.GetProperty("call");
        Assert.Equal(("import", "13800138001", "2026-11-03T10:00:00+08:00"),
            (second.GetProperty("linkedBy").GetString(), second.GetProperty("caller").GetString(), second.GetProperty("startedAt").GetString()));
        Assert.Contains("  call       ", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("same caller, linked by import), caller 13800138001", shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertsList_OperatorReplyByEarlierThanTheLevel_ReminderAndBreachOnceAcrossARestartOfServe()
    {
        await using var peer = await OperatorPeer.StartAsync();
        using var desk = new Desk(engine);
        var settings = Exchange.Settings(peer.Url, ("Alerts__ScanInterval", "00:00:01"));
        var serve = await desk.StartAsync(settings);
        try
        {
            // A fee dispute is level 1 (2 h); reply_by 40 s from now is earlier and drives the alerts:
            // the reminder at 80% of the time from acceptance to reply_by (about 32 s), the breach at reply_by.
            var replyBy = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(40).ToUnixTimeSeconds());
            var request = Exchange.Complaint("RB-1");
            request.ReplyBy = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(replyBy);
            string reference;
            using (var channel = GrpcChannel.ForAddress(serve.Url))
            {
                reference = (await Exchange.Client(channel, Exchange.KeyA).SubmitComplaintAsync(request)).TicketRef;
            }

            // Waited for in the store (a CLI process per ask cost about 100 processes per run); 'alerts list' is asserted below.
            await Eventually.Until(() => Task.FromResult(StoredAlerts(desk, "reminder") == 1), TimeSpan.FromSeconds(60), "the reply_by reminder");
            await serve.KillAsync();
            await serve.DisposeAsync();

            serve = await desk.StartAsync(settings);
            await Eventually.Until(() => Task.FromResult(StoredAlerts(desk, "breach") == 1), TimeSpan.FromSeconds(60), "the reply_by breach");

            // The restarted process scanned the reminder's ticket every second: still one reminder, and no
            // first-reply alerts (the acceptance reached the operator; its deadline is later anyway).
            var all = await AlertsAsync(desk);
            Assert.Equal(["breach", "reminder"], all.Select(a => a.GetProperty("kind").GetString()));
            Assert.All(all, a => Assert.Equal(reference, a.GetProperty("ticket").GetString()));
            Assert.All(all, a => Assert.Equal(replyBy, DateTimeOffset.Parse(a.GetProperty("deadlineAt").GetString()!, CultureInfo.InvariantCulture)));
            Assert.Contains("reply_by", all[0].GetProperty("text").GetString(), StringComparison.Ordinal);
            // Raised on the gateway's clock: the reminder before reply_by, the breach at or after it (times print to the second).
            var raised = all.Select(a => DateTimeOffset.Parse(a.GetProperty("raisedAt").GetString()!, CultureInfo.InvariantCulture)).ToList();
            Assert.True(raised[1] < replyBy && raised[0] >= replyBy, $"reminder raised {raised[1]:O}, breach {raised[0]:O}, reply_by {replyBy:O}");
            Assert.Equal([("disabled", "disabled")], all.Select(a => (a.GetProperty("chat").GetString(), a.GetProperty("email").GetString())).Distinct());
            Assert.Equal(2, (await AlertsAsync(desk, "--state", "disabled")).Count);
            Assert.Empty(await AlertsAsync(desk, "--state", "sent"));
            Assert.Empty(await AlertsAsync(desk, "--kind", "reply-breach"));
            var text = await desk.RunAsync("alerts", "list", "--kind", "breach");
            Assert.Matches($@"breach +{reference} .*\n1 alert\(s\)\.\n\z", text.Stdout.ReplaceLineEndings("\n"));
            var bad = await desk.RunAsync("alerts", "list", "--kind", "late");
            Assert.Equal(2, bad.ExitCode);
            Assert.StartsWith("ticketgw: alerts list --kind: 'late' is not a kind; use one of reminder, breach, reply-reminder, reply-breach,", bad.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await serve.DisposeAsync();
        }
    }

    private static long StoredAlerts(Desk desk, string kind) => desk.Db.CountOrMinusOne($"SELECT COUNT(*) FROM alerts WHERE kind = '{kind}'");

    private static async Task<List<JsonElement>> AlertsAsync(Desk desk, params string[] filter)
    {
        using var doc = await desk.JsonAsync(["alerts", "list", "--json", .. filter]);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<JsonDocument> JsonAsync(Desk desk, Dictionary<string, string> env, params string[] args)
    {
        var r = await desk.RunAsync(env, args);
        Assert.True(r.ExitCode == 0, $"ticketgw {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return JsonDocument.Parse(r.Stdout);
    }
}

public sealed class PhoneCliTestsOnSqlite() : PhoneCliTests(StoreKind.Sqlite);

public sealed class PhoneCliTestsOnPostgres() : PhoneCliTests(StoreKind.Postgres);
