using System.Text.Json;
using TicketGateway.MailIntake.Tests.Support;

namespace TicketGateway.MailIntake.Tests.Functional.Imap;

/// <summary>The real <c>ticketgw serve</c> against a real Dovecot: mail in, tickets and quarantine out.</summary>
public abstract class ServeIntakeTests(StoreKind engine)
{
    private static readonly (string File, string Subject, string Text)[] Readable =
    [
        ("gb2312.eml", "投诉：话费被多扣", "您好，我的手机本月被多扣了十元费用，请尽快退费。"),
        ("gbk-as-gb2312.eml", "咨询：陶喆和王堃的彩铃", "请问陶喆和王堃的彩铃怎么订购？朱镕"),
        ("gb18030.eml", "故障申告：𠀀字显示不出来", "我的名字里有䶮字，短信里显示成问号。𠀀"),
        ("big5.eml", "查詢：我的手機無法使用", "您好，我的手機訂閱的服務無法使用，請協助處理。"),
        ("iso-2022-jp.eml", "お問い合わせ：料金について", "サービスの料金について教えてください。"),
        ("rfc2231.eml", "投诉：重复扣费 refund", "附件是扣费的发票。"),
        ("html-only.eml", "会员无法登录", "您好 客服，\n我的会员无法登录&使用。\n截图如下："),
    ];

    [Fact]
    public async Task Serve_ChineseEncodedAndHtmlMail_ReadCorrectlyInTicketsShowJson()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        foreach (var (file, _, _) in Readable)
        {
            dovecot.Deliver(Fixtures.Raw(file));
        }

        foreach (var robot in (string[])["auto-reply.eml", "dsn-bounce.eml", "list-mail.eml", "malformed-charset.eml", "no-sender.eml"])
        {
            dovecot.Deliver(Fixtures.Raw(robot));
        }

        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1)).With(db));
        // A MOVE shows the copy in its new folder a moment before the original leaves INBOX: wait for both.
        await Eventually.WaitAsync(
            () => (Inbox: dovecot.Count("INBOX"), Moved: dovecot.Count("Processed") + dovecot.Count("Quarantine")),
            n => n == (0, 12),
            TimeSpan.FromSeconds(30),
            "all 12 mails moved out of INBOX");
        Assert.Equal(2, dovecot.Count("Quarantine"));
        var list = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "tickets", "list", "--json");
        using var tickets = JsonDocument.Parse(list.Stdout);
        Assert.Equal(Readable.Length, tickets.RootElement.GetArrayLength());
        foreach (var (file, subject, text) in Readable)
        {
            var t = tickets.RootElement.EnumerateArray().SingleOrDefault(e => e.GetProperty("subject").GetString() == subject);
            Assert.True(t.ValueKind == JsonValueKind.Object, $"{file}: no ticket with subject {subject}; got {list.Stdout}");
            var show = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "tickets", "show", t.GetProperty("ref").GetString()!, "--json");
            using var details = JsonDocument.Parse(show.Stdout);
            Assert.Equal(text, details.RootElement.GetProperty("messages")[0].GetProperty("text").GetString());
            Assert.Equal("email", details.RootElement.GetProperty("channel").GetString());
        }

        Assert.DoesNotContain(tickets.RootElement.EnumerateArray(), t => t.GetProperty("kind").GetString() == "complaint" && t.GetProperty("customer").GetProperty("email").GetString()!.Contains("example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_MalformedMail_IsQuarantinedWithReasonAndRetryMakesATicket()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        dovecot.Deliver(Fixtures.Raw("malformed-charset.eml"));
        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1)).With(db));
        await Eventually.WaitAsync(() => dovecot.Count("Quarantine"), n => n == 1, TimeSpan.FromSeconds(30), "mail moved to Quarantine");

        var list = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "quarantine", "list", "--json");
        using var held = JsonDocument.Parse(list.Stdout);
        var entry = Assert.Single(held.RootElement.EnumerateArray());
        Assert.Contains("x-unknown-cn", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(("sunqi@example.cn", "malformed-1@example.cn"), (entry.GetProperty("from").GetString(), entry.GetProperty("messageId").GetString()));
        var id = entry.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var wrong = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "quarantine", "retry", id, "--charset", "klingon");
        Assert.Equal(2, wrong.ExitCode);
        var retried = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "quarantine", "retry", id, "--charset", "gbk", "--json");
        Assert.True(retried.ExitCode == 0, retried.Stderr);
        using var result = JsonDocument.Parse(retried.Stdout);
        var reference = result.RootElement.GetProperty("ticket").GetString()!;
        var show = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "tickets", "show", reference, "--json");
        using var ticket = JsonDocument.Parse(show.Stdout);
        Assert.Equal("我要投诉，这个月被乱扣费。", ticket.RootElement.GetProperty("messages")[0].GetProperty("text").GetString());
        Assert.Equal("complaint", ticket.RootElement.GetProperty("kind").GetString());

        var again = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "quarantine", "retry", id);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(1, db.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));
    }

    [Fact]
    public async Task Serve_MailsThatWaitedInTheInbox_AreAcceptedWhenTheyArrivedAndRetryNamesTheListedId()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        // Both mails reached the mailbox hours before the gateway ran (INTERNALDATE has whole seconds).
        var arrived = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds());
        dovecot.Deliver(Fixtures.Mail("waited@example.cn", "咨询 waited", "你好", "waited-1@example.cn"), arrived);
        dovecot.Deliver(Fixtures.Raw("malformed-charset.eml"), arrived.AddMinutes(10));
        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1)).With(db));
        await Eventually.WaitAsync(() => (dovecot.Count("Processed"), dovecot.Count("Quarantine"), dovecot.Count("INBOX")), n => n == (1, 1, 0), TimeSpan.FromSeconds(30), "mails moved");

        using var held = JsonDocument.Parse((await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "quarantine", "list", "--json")).Stdout);
        var id = Assert.Single(held.RootElement.EnumerateArray()).GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The held mail is the second mail row but the first quarantine entry: the retry must speak of the listed id.
        var retried = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "quarantine", "retry", id, "--charset", "gbk");
        Assert.True(retried.ExitCode == 0, retried.Stderr);
        Assert.StartsWith($"Quarantined mail {id} is now created: TG-", retried.Stdout, StringComparison.Ordinal);

        using var list = JsonDocument.Parse((await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "tickets", "list", "--json")).Stdout);
        var accepted = list.RootElement.EnumerateArray().ToDictionary(
            t => t.GetProperty("customer").GetProperty("email").GetString()!,
            t => DateTimeOffset.Parse(t.GetProperty("acceptedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(arrived, accepted["waited@example.cn"]);
        Assert.Equal(arrived.AddMinutes(10), accepted["sunqi@example.cn"]);
        var reference = System.Text.RegularExpressions.Regex.Match(retried.Stdout, "TG-[0-9]+").Value;
        using var ticket = JsonDocument.Parse((await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "tickets", "show", reference, "--json")).Stdout);
        var mailLine = ticket.RootElement.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == "mail").GetProperty("detail").GetString()!;
        Assert.Contains("arrived in the mailbox", mailLine, StringComparison.Ordinal);
        Assert.Contains("first seen", mailLine, StringComparison.Ordinal);
        Assert.Contains("processed", mailLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DovecotRestartedWhileIdling_PicksUpMailAfterTheRestart()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        // A poll interval far longer than the test: only IDLE and reconnecting can bring the mail in.
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, dovecot.GatewayEnvironment(TimeSpan.FromMinutes(30)).With(db));
        dovecot.Deliver(Fixtures.Mail("before@example.cn", "咨询 before", "x", "before@example.cn"));
        await Eventually.WaitAsync(() => db.CountOrMinusOne("SELECT COUNT(*) FROM tickets"), n => n == 1, TimeSpan.FromSeconds(30), "ticket from the mail before the restart");

        await dovecot.StopAsync();
        // Restart only once the gateway has seen the connection drop, so the mail after the restart comes in through a reconnect.
        await Eventually.WaitAsync(() => gateway.Log.Contains("Mail intake lost the connection", StringComparison.Ordinal), lost => lost, TimeSpan.FromSeconds(30), "the gateway noticing Dovecot stopped");
        await dovecot.StartAgainAsync();
        dovecot.Deliver(Fixtures.Mail("after@example.cn", "咨询 after", "y", "after@example.cn"));

        await Eventually.WaitAsync(() => db.CountOrMinusOne("SELECT COUNT(*) FROM tickets"), n => n == 2, TimeSpan.FromSeconds(30), "ticket from the mail after the restart");
        Assert.Equal(1, db.CountOrMinusOne("SELECT COUNT(*) FROM tickets WHERE customer_email = 'after@example.cn'"));
        // The move to Processed follows the commit.
        await Eventually.WaitAsync(() => dovecot.Count("INBOX"), n => n == 0, TimeSpan.FromSeconds(30), "INBOX emptied");
    }

    [Fact]
    public async Task Serve_WrongPassword_ReportsUnhealthyAndKeepsServing()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        var environment = dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1)).With(db);
        environment["Mail__Imap__Password"] = "not-the-password";
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, environment);

        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var status = await Eventually.WaitAsync(
            () => http.GetAsync(new Uri(gateway.Url + "/healthz")).GetAwaiter().GetResult().StatusCode,
            s => s == System.Net.HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(20),
            "/healthz reporting the refused login");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, status);
        var cli = await GatewayProcess.RunCliAsync(dir.Path, db.Environment, "tickets", "list", "--json");
        Assert.Equal(0, cli.ExitCode);
    }

    [Fact]
    public async Task Serve_NoMailboxConfigured_RunsWithoutIntakeAndSaysSoOnce()
    {
        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, db.Environment);
        await Eventually.WaitAsync(() => gateway.Log.Contains("Mail intake is off", StringComparison.Ordinal), found => found, TimeSpan.FromSeconds(10), "the intake-off line");
        Assert.Single(gateway.Log.Split('\n'), l => l.Contains("Mail intake is off", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Mail__Imap__PollInterval", "00:00:00", "Mail:Imap:PollInterval")]
    [InlineData("Mail__Imap__Host", "127.0.0.1", "Mail:Imap:Username must be set when Mail:Imap:Host is")]
    [InlineData("Mail__Intake__KindRules__0__Kind", "spam", "Mail:Intake:KindRules:0:Kind must be one of")]
    [InlineData("Mail__SupportAddress", "not-an-address", "Mail:SupportAddress")]
    public async Task Serve_BadMailSetting_StopsStartUpNamingTheKey(string variable, string value, string expected)
    {
        using var dir = new TempDir();
        var db = ProcessStore.Create(engine, dir.Path);
        var r = await GatewayProcess.RunCliAsync(dir.Path, new Dictionary<string, string>(db.Environment) { [variable] = value }, "serve");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
    }
}

public sealed class ServeIntakeTestsOnSqlite() : ServeIntakeTests(StoreKind.Sqlite);

public sealed class ServeIntakeTestsOnPostgres() : ServeIntakeTests(StoreKind.Postgres);
