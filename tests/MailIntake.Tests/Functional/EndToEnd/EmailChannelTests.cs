using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MimeKit;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.MailIntake.Tests.Support;
using Xunit.Abstractions;

namespace TicketGateway.MailIntake.Tests.Functional.EndToEnd;

/// <summary>
/// One real <c>ticketgw serve</c>, one real Dovecot and one real SMTP sink for the whole class:
/// customers and agents write into the mailbox, and what the gateway sends arrives in the sink.
/// Each test uses its own customers, so the tests share the servers without depending on each other.
/// </summary>
public abstract class EmailChannelFixture(StoreKind engine) : IAsyncLifetime
{
    public const string Support = "support@example.com";
    public const string AgentsAddress = "agents@example.com";
    public const string Agent = "lisi@example.com";

    private readonly string _sinkDir = Directory.CreateTempSubdirectory("tg-sink-").FullName;

    internal DovecotServer Dovecot { get; private set; } = null!;

    internal SmtpSink Sink { get; private set; } = null!;

    internal GatewayProcess Gateway { get; private set; } = null!;

    public string WorkDir { get; } = Directory.CreateTempSubdirectory("tg-channel-").FullName;

    internal TestDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // This class reads the sink's mail with MimeKit in the test process, maybe before any reader
        // of the other tests: the code pages go in first, as the gateway does, or MimeKit settles
        // its charset table without Big5 and ISO-2022-JP for the whole test process.
        MailCharsets.Register();
        Dovecot = await DovecotServer.StartAsync();
        Sink = await SmtpSink.StartAsync(_sinkDir);
        Db = ProcessStore.Create(engine, WorkDir);
        var environment = Dovecot.GatewayEnvironment(TimeSpan.FromSeconds(5)).With(Db).With(Sink);
        environment["Mail__AgentsAddress"] = AgentsAddress;
        environment["Agents__0__Name"] = "李四";
        environment["Agents__0__Email"] = Agent;
        environment["Replies__Hotline"] = "400-123-4567";
        Gateway = await GatewayProcess.StartAsync(WorkDir, environment);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Sink.DisposeAsync();
        await Dovecot.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
        Directory.Delete(_sinkDir, recursive: true);
    }

    /// <summary>Runs a <c>ticketgw</c> command on the gateway's store.</summary>
    internal Task<CliResult> CliAsync(params string[] args) => GatewayProcess.RunCliAsync(WorkDir, Db.Environment, args);

    /// <summary>Delivers a mail into the INBOX and waits (bounded) until the gateway has moved it out.</summary>
    public async Task DeliverAndWaitAsync(byte[] raw)
    {
        var before = Dovecot.Count("Processed") + Dovecot.Count("Quarantine");
        Dovecot.Deliver(raw);
        await Eventually.WaitAsync(() => Dovecot.Count("Processed") + Dovecot.Count("Quarantine"), n => n > before, TimeSpan.FromSeconds(30), "mail taken by the gateway");
    }

    public Task<IReadOnlyList<MimeMessage>> MailsToAsync(string address, int count) =>
        Sink.WaitForAsync(mails => To(mails, address).Count >= count);

    public static List<MimeMessage> To(IEnumerable<MimeMessage> mails, string address) =>
        [.. mails.Where(m => m.To.Mailboxes.Any(a => a.Address.Equals(address, StringComparison.OrdinalIgnoreCase)))];

    public async Task<JsonDocument> TicketOfAsync(string customer)
    {
        var list = await CliAsync("tickets", "list", "--json");
        using var all = JsonDocument.Parse(list.Stdout);
        var reference = all.RootElement.EnumerateArray().Single(t => t.GetProperty("customer").GetProperty("email").GetString() == customer && t.GetProperty("repeatOf").ValueKind == JsonValueKind.Null).GetProperty("ref").GetString()!;
        return await ShowAsync(reference);
    }

    public async Task<JsonDocument> ShowAsync(string reference)
    {
        var show = await CliAsync("tickets", "show", reference, "--json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        return JsonDocument.Parse(show.Stdout);
    }

    public async Task<int> TicketCountAsync(string customer)
    {
        var list = await CliAsync("tickets", "list", "--json");
        using var all = JsonDocument.Parse(list.Stdout);
        return all.RootElement.EnumerateArray().Count(t => t.GetProperty("customer").GetProperty("email").GetString() == customer);
    }

    /// <summary>The outbox rows addressed to <paramref name="address"/>, as <c>outbox list --json</c> shows them.</summary>
    public async Task<List<(string Purpose, string Status)>> OutboxToAsync(string address)
    {
        var list = await CliAsync("outbox", "list", "--json");
        using var all = JsonDocument.Parse(list.Stdout);
        return [.. all.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("to").EnumerateArray().Any(t => t.GetString()!.Contains(address, StringComparison.OrdinalIgnoreCase)))
            .Select(e => (e.GetProperty("purpose").GetString()!, e.GetProperty("status").GetString()!))];
    }

    /// <summary>A plain UTF-8 mail with the given headers.</summary>
    public static byte[] Mail(string from, string to, string subject, string body, string messageId, string? inReplyTo = null, string? references = null) =>
        System.Text.Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{messageId}>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0800\r\n"
            + (inReplyTo is null ? "" : $"In-Reply-To: <{inReplyTo}>\r\n")
            + (references is null ? "" : $"References: {references}\r\n")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body.ReplaceLineEndings("\r\n") + "\r\n");
}

public sealed class EmailChannelFixtureOnSqlite() : EmailChannelFixture(StoreKind.Sqlite);

public sealed class EmailChannelFixtureOnPostgres() : EmailChannelFixture(StoreKind.Postgres);

/// <summary>Issue 4, must-show 1 and 2, end to end through Dovecot, <c>ticketgw serve</c> and the SMTP sink.</summary>
public abstract class EmailChannelTests(EmailChannelFixture servers, ITestOutputHelper output)
{
    private const string Support = EmailChannelFixture.Support;

    [Fact]
    public async Task CustomerMail_ChineseAndEnglish_AcknowledgedInTheirLanguageAndRepliesThreadIntoTheTicket()
    {
        const string zhang = "zhangsan@example.cn";
        const string john = "john@example.net";
        var clock = Stopwatch.StartNew();
        servers.Dovecot.Deliver(EmailChannelFixture.Mail($"张三 <{zhang}>", Support, "投诉：话费被多扣", "您好，我的手机本月被多扣了十元费用，请退费。", "c1@example.cn"));
        servers.Dovecot.Deliver(EmailChannelFixture.Mail($"John Smith <{john}>", Support, "Complaint: charged twice", "Hello, I was charged twice for the music service this month.", "e1@example.net"));
        var zhAck = EmailChannelFixture.To(await servers.MailsToAsync(zhang, 1), zhang).Single();
        var zhLatency = clock.Elapsed;
        var enAck = EmailChannelFixture.To(await servers.MailsToAsync(john, 1), john).Single();
        var enLatency = clock.Elapsed;
        output.WriteLine($"acknowledgement latency (delivery into Dovecot -> mail in the sink): zh {zhLatency.TotalMilliseconds:F0} ms, en {enLatency.TotalMilliseconds:F0} ms");

        using var zhTicket = await servers.TicketOfAsync(zhang);
        using var enTicket = await servers.TicketOfAsync(john);
        var zhRef = zhTicket.RootElement.GetProperty("ref").GetString()!;
        var enRef = enTicket.RootElement.GetProperty("ref").GetString()!;
        Assert.Equal(("zh-CN", "en"), (zhTicket.RootElement.GetProperty("language").GetString(), enTicket.RootElement.GetProperty("language").GetString()));
        foreach (var (ack, reference, customerId) in new[] { (zhAck, zhRef, "c1@example.cn"), (enAck, enRef, "e1@example.net") })
        {
            Assert.Equal(customerId, ack.InReplyTo);
            Assert.Equal([customerId], ack.References);
            Assert.Equal("auto-replied", ack.Headers[HeaderId.AutoSubmitted]);
            Assert.Contains($"[{reference}]", ack.Subject, StringComparison.Ordinal);
            Assert.Contains(reference, ack.TextBody, StringComparison.Ordinal);
        }

        Assert.Contains("受理", zhAck.TextBody, StringComparison.Ordinal);
        Assert.Contains("We have accepted your complaint", enAck.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(enAck.TextBody ?? "", c => c is >= '\u4e00' and <= '\u9fff');

        // The customer answers the acknowledgement (In-Reply-To, no tag); the other writes again with the tag only.
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(zhang, Support, "回复：话费", "补充：扣费时间是11月3日。", "c2@example.cn", inReplyTo: zhAck.MessageId, references: $"<c1@example.cn> <{zhAck.MessageId}>"));
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(john, Support, $"Re: [{enRef}] charged twice", "The second charge was on 3 November.", "e2@example.net"));

        Assert.Equal((1, 1), (await servers.TicketCountAsync(zhang), await servers.TicketCountAsync(john)));
        using var zhAfter = await servers.ShowAsync(zhRef);
        using var enAfter = await servers.ShowAsync(enRef);
        Assert.Contains(zhAfter.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "补充：扣费时间是11月3日。");
        Assert.Contains(enAfter.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "The second charge was on 3 November.");
        Assert.Contains(zhAfter.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("detail").GetString()!.Contains($"in-reply-to <{zhAck.MessageId}>", StringComparison.Ordinal));
        Assert.Contains(enAfter.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("detail").GetString()!.Contains($"tag {enRef}", StringComparison.Ordinal));

        // Replies are not acknowledged again: still one mail to each customer.
        Assert.Equal((1, 1), (EmailChannelFixture.To(servers.Sink.Mails(), zhang).Count, EmailChannelFixture.To(servers.Sink.Mails(), john).Count));
    }

    [Fact]
    public async Task AgentMail_ReplyNoteForgedResolveAndSurvey_DoWhatTheyClaimOnlyWhenSigned()
    {
        const string wang = "wangwu@example.cn";
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail($"王五 <{wang}>", Support, "投诉：彩铃乱扣费", "我没有订购彩铃，却每月扣费五元。", "w1@example.cn"));
        var acknowledgement = EmailChannelFixture.To(await servers.MailsToAsync(wang, 1), wang)[0];
        var ticketRef = (await servers.TicketOfAsync(wang)).RootElement.GetProperty("ref").GetString()!;
        Assert.Equal($"[{ticketRef}] 已受理您的投诉：彩铃乱扣费", acknowledgement.Subject);
        var notification = EmailChannelFixture.To(await servers.Sink.WaitForAsync(m => m.Any(n => (n.Subject ?? "").Contains(ticketRef, StringComparison.Ordinal) && n.To.Mailboxes.Any(a => a.Address == EmailChannelFixture.AgentsAddress))), EmailChannelFixture.AgentsAddress)
            .First(n => (n.Subject ?? "").Contains(ticketRef, StringComparison.Ordinal));
        var signed = notification.ReplyTo.Mailboxes.Single().Address;
        Assert.StartsWith($"support+{ticketRef}.", signed, StringComparison.Ordinal);

        // The agent answers the notification: the customer receives the agent-reply template with the text, quotes stripped.
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(
            $"李四 <{EmailChannelFixture.Agent}>", signed, "Re: " + notification.Subject,
            "您好，已为您取消彩铃并退还扣费。\n\n在 2026-11-26，客服中心 写道：\n> 我没有订购彩铃，却每月扣费五元。\n", "a1@example.com", inReplyTo: notification.MessageId));
        var reply = EmailChannelFixture.To(await servers.MailsToAsync(wang, 2), wang)[1];
        Assert.Contains("已为您取消彩铃并退还扣费。", reply.TextBody, StringComparison.Ordinal);
        Assert.Contains("王五，您好", reply.TextBody, StringComparison.Ordinal);
        Assert.Contains($"受理编号 {ticketRef}", reply.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("> 我没有订购", reply.TextBody, StringComparison.Ordinal);
        Assert.Null(reply.Headers[HeaderId.AutoSubmitted]);
        Assert.Equal("w1@example.cn", reply.InReplyTo);

        // #note: recorded, nothing queued for the customer.
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(EmailChannelFixture.Agent, signed, "Re: note", "#note\n已核实：用户未订购。", "a2@example.com"));
        Assert.Equal(2, (await servers.OutboxToAsync(wang)).Count);
        using (var afterNote = await servers.ShowAsync(ticketRef))
        {
            Assert.Contains(afterNote.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetProperty("direction").GetString() == "note" && m.GetProperty("text").GetString() == "已核实：用户未订购。");
        }

        // A forged agent mail (the agent's From, a wrong token): nothing to the customer, the agents are warned.
        var forged = signed[..(signed.IndexOf('.', StringComparison.Ordinal) + 1)] + "AAAAAAAAAAAA@example.com";
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(EmailChannelFixture.Agent, forged, "Re: refund", "#resolve\n已退款，请忽略。", "f1@example.com"));
        Assert.Equal(2, (await servers.OutboxToAsync(wang)).Count);
        Assert.Contains(await servers.OutboxToAsync(EmailChannelFixture.AgentsAddress), e => e.Purpose == "agent-warning");
        using (var afterForged = await servers.ShowAsync(ticketRef))
        {
            Assert.Equal("open", afterForged.RootElement.GetProperty("status").GetString());
            Assert.Contains(afterForged.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("detail").GetString()!.Contains("untrusted", StringComparison.Ordinal));
        }

        // #resolve with a text: the resolution mail with the text, then the survey; the ticket is resolved.
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(EmailChannelFixture.Agent, signed, "Re: resolve", "#resolve\n退款已到账，请查收。", "a3@example.com"));
        var mails = EmailChannelFixture.To(await servers.MailsToAsync(wang, 4), wang);
        Assert.Equal($"[{ticketRef}] 已处理完毕：投诉：彩铃乱扣费", mails[2].Subject);
        Assert.Contains("已处理完毕：\n退款已到账，请查收。", mails[2].TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("w1@example.cn", mails[2].InReplyTo);
        var survey = mails[3];
        Assert.Contains("满意", survey.TextBody, StringComparison.Ordinal);
        Assert.Equal("auto-replied", survey.Headers[HeaderId.AutoSubmitted]);
        using (var resolved = await servers.ShowAsync(ticketRef))
        {
            Assert.Equal("resolved", resolved.RootElement.GetProperty("status").GetString());
        }

        // The customer answers the survey with 2 on this complaint: recorded, reopened, and a repeat complaint.
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(wang, Support, "Re: " + survey.Subject, "2\n\n> 您对处理结果是否满意？", "w2@example.cn", inReplyTo: survey.MessageId));
        using (var answered = await servers.ShowAsync(ticketRef))
        {
            Assert.Equal(("unsatisfied", "open"), (answered.RootElement.GetProperty("satisfaction").GetString(), answered.RootElement.GetProperty("status").GetString()));
            Assert.Contains(answered.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("detail").GetString()!.Contains("survey answer", StringComparison.Ordinal));
        }

        var list = await servers.CliAsync("tickets", "list", "--json");
        using var all = JsonDocument.Parse(list.Stdout);
        Assert.Single(all.RootElement.EnumerateArray(), t => t.GetProperty("repeatOf").GetString() == ticketRef);
    }

    [Fact]
    public async Task Bounce_OfAnAcknowledgement_MarksThatOutboxMailFailed()
    {
        const string gone = "gone@example.cn";
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(gone, Support, "咨询：套餐", "请问有什么套餐？", "g1@example.cn"));
        var ack = EmailChannelFixture.To(await servers.MailsToAsync(gone, 1), gone).Single();
        var dsn = System.Text.Encoding.UTF8.GetString(Fixtures.Raw("dsn-bounce.eml"))
            .Replace("<reply-1@example.com>", $"<{ack.MessageId}>", StringComparison.Ordinal)
            .Replace("<dsn-1@mx.example.cn>", "<dsn-g1@mx.example.cn>", StringComparison.Ordinal);
        await servers.DeliverAndWaitAsync(System.Text.Encoding.UTF8.GetBytes(dsn));

        Assert.Contains(await servers.OutboxToAsync(gone), e => e == ("acknowledgement", "failed"));
        using var ticket = await servers.TicketOfAsync(gone);
        Assert.Contains(ticket.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "undelivered" && h.GetProperty("detail").GetString()!.Contains("5.1.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CustomerMail_AddressOnlyInDisplayNameOrSeveralFrom_IsHeldAndNothingGoesToTheClaimedAddress()
    {
        foreach (var file in new[] { "from-address-in-display-name.eml", "from-group.eml", "from-several-mailboxes.eml" })
        {
            await servers.DeliverAndWaitAsync(Fixtures.Raw(file));
        }

        // "lisi@example.com" <stranger@example.org>: the configured agent's address, but only as a display name.
        await servers.DeliverAndWaitAsync(Fixtures.Raw("from-agent-in-quoted-name.eml"));

        var list = await servers.CliAsync("quarantine", "list", "--json");
        using var held = JsonDocument.Parse(list.Stdout);
        var untrusted = held.RootElement.EnumerateArray()
            .Where(q => q.GetProperty("messageId").GetString() is "display-name-1@evil.test" or "group-1@evil.test" or "several-1@evil.test").ToList();
        Assert.Equal(3, untrusted.Count);
        Assert.All(untrusted, q => Assert.Equal(JsonValueKind.Null, q.GetProperty("from").ValueKind));
        Assert.All(untrusted, q => Assert.Contains("From header", q.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Equal(0, await servers.TicketCountAsync("victim@example.test"));
        Assert.Empty(await servers.OutboxToAsync("victim@example.test"));

        using var stranger = await servers.TicketOfAsync("stranger@example.org");
        Assert.DoesNotContain(EmailChannelFixture.Agent, stranger.RootElement.GetProperty("messages")[0].GetProperty("from").GetString(), StringComparison.Ordinal);
        Assert.All(stranger.RootElement.GetProperty("history").EnumerateArray(), h => Assert.DoesNotContain(EmailChannelFixture.Agent, h.GetProperty("detail").GetString(), StringComparison.Ordinal));
        await servers.MailsToAsync("stranger@example.org", 1);
        Assert.Contains(await servers.OutboxToAsync("stranger@example.org"), e => e.Purpose == "acknowledgement");
    }

    [Fact]
    public async Task CustomerMail_SenderOverTheHourlyLimitAndRobots_GetNoAcknowledgement()
    {
        // Mail:Intake:AutoReplyLimitPerHour is 5 by default: the sixth new mail in the hour makes a ticket but no acknowledgement.
        const string busy = "busy@example.cn";
        for (var i = 1; i <= 6; i++)
        {
            await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(busy, Support, $"咨询 {i}", $"第{i}个问题", $"busy-{i}@example.cn"));
        }

        var robot = System.Text.Encoding.UTF8.GetString(EmailChannelFixture.Mail("robot@example.cn", Support, "Notice", "automatic", "robot-1@example.cn"))
            .Replace("MIME-Version", "Auto-Submitted: auto-generated\r\nMIME-Version", StringComparison.Ordinal);
        await servers.DeliverAndWaitAsync(System.Text.Encoding.UTF8.GetBytes(robot));

        Assert.Equal(6, await servers.TicketCountAsync(busy));
        Assert.Equal(5, (await servers.OutboxToAsync(busy)).Count(e => e.Purpose == "acknowledgement"));
        Assert.Empty(await servers.OutboxToAsync("robot@example.cn"));
    }
}

public sealed class EmailChannelTestsOnSqlite(EmailChannelFixtureOnSqlite servers, ITestOutputHelper output)
    : EmailChannelTests(servers, output), IClassFixture<EmailChannelFixtureOnSqlite>;

public sealed class EmailChannelTestsOnPostgres(EmailChannelFixtureOnPostgres servers, ITestOutputHelper output)
    : EmailChannelTests(servers, output), IClassFixture<EmailChannelFixtureOnPostgres>;
