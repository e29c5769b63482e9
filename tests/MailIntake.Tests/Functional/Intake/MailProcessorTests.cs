using System.Data.Common;
using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Tests.Support;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Tests.Functional.Intake;

/// <summary>Mail to tickets on a real store: threading, reopening, repeats, robots, duplicates.</summary>
public abstract class MailProcessorTests(StoreKind engine)
{
    [Fact]
    public async Task Process_NewComplaint_CreatesEmailTicketWithKindFromKeywordAndRuleInHistory()
    {
        await using var store = new IntakeStore(engine);
        var r = await store.TakeAsync(Fixtures.Raw("gb2312.eml"));

        Assert.Equal(MailOutcome.Created, r.Outcome);
        var d = store.Get(r.TicketId!.Value);
        Assert.Equal(Channel.Email, d.Ticket.Channel);
        Assert.Equal(TicketKind.Complaint, d.Ticket.Kind);
        Assert.Equal(1, d.Ticket.Level);
        Assert.Equal("zhangsan@example.cn", d.Ticket.Customer.Email);
        Assert.Equal("张三", d.Ticket.Customer.Name);
        Assert.Equal("gb2312-1@example.cn", Assert.Single(d.Messages).MessageId);
        Assert.Contains(d.History, h => h.Action == "mail" && h.Detail.Contains("(new)", StringComparison.Ordinal) && h.Detail.Contains("'投诉'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("扣费问题", "fee")]
    [InlineData("Please refund me", "fee")]
    [InlineData("短信故障", "report")]
    [InlineData("the app is not working", "report")]
    [InlineData("怎么订购", "inquiry")]
    public async Task Process_DefaultKindRules_PickKindFromSubject(string subject, string kind)
    {
        await using var store = new IntakeStore(engine);
        var r = await store.TakeAsync(Fixtures.Mail("c@example.cn", subject, "正文", "k1@example.cn"));
        Assert.Equal(kind, Names.Of(store.Get(r.TicketId!.Value).Ticket.Kind));
    }

    [Fact]
    public async Task Process_LevelRule_SetsComplaintLevel()
    {
        var intake = new IntakeOptions { LevelRules = [new LevelRule { Level = 4, Keywords = ["工信部"] }] };
        await using var store = new IntakeStore(engine, intake);
        var r = await store.TakeAsync(Fixtures.Mail("c@example.cn", "投诉", "我要向工信部投诉", "l1@example.cn"));
        Assert.Equal(4, store.Get(r.TicketId!.Value).Ticket.Level);
    }

    [Fact]
    public async Task Process_MailThatWaitedInTheInbox_IsAcceptedWhenItArrivedAndAServerClockAheadIsIgnored()
    {
        await using var store = new IntakeStore(engine);
        var now = store.Clock.GetUtcNow();

        var waited = await store.TakeAsync(Fixtures.Mail("waited@example.cn", "投诉 waited", "扣费", "waited@example.cn"), now.AddHours(-6));
        var ahead = await store.TakeAsync(Fixtures.Mail("ahead@example.cn", "投诉 ahead", "扣费", "ahead@example.cn"), now.AddMinutes(3));

        var ticket = store.Get(waited.TicketId!.Value);
        Assert.Equal(now.AddHours(-6), ticket.Ticket.AcceptedAt);
        var mailLine = Assert.Single(ticket.History, h => h.Action == "mail").Detail;
        Assert.Contains($"arrived in the mailbox {store.Tickets.Local(now.AddHours(-6))}, processed {store.Tickets.Local(now)}", mailLine, StringComparison.Ordinal);
        Assert.Equal(now, store.Get(ahead.TicketId!.Value).Ticket.AcceptedAt);
    }

    [Fact]
    public async Task Process_RepliesByTagInReplyToAndReferences_LandOnTheRightTicket()
    {
        await using var store = new IntakeStore(engine);
        var first = await store.TakeAsync(Fixtures.Mail("a@example.cn", "咨询彩铃", "你好", "a1@example.cn"));
        var other = await store.TakeAsync(Fixtures.Mail("b@example.cn", "咨询会员", "你好", "b1@example.cn"));
        var ticket = first.TicketId!.Value;
        await store.SendAsync(ticket, "a@example.cn", "out-1@example.com");

        var byTag = await store.TakeAsync(Fixtures.Mail("a@example.cn", $"Re: [{TicketReference.Format(ticket)}] 咨询彩铃", "补充", "a2@example.cn"));
        var byInReplyTo = await store.TakeAsync(Fixtures.Mail("a@example.cn", "Re: 咨询彩铃", "再补充", "a3@example.cn", inReplyTo: "out-1@example.com"));
        var byReferences = await store.TakeAsync(Fixtures.Mail("a2@other.cn", "Fwd", "转发", "a4@example.cn", references: "<zzz@nowhere> <a1@example.cn>"));

        Assert.Equal((MailOutcome.Threaded, ticket), (byTag.Outcome, byTag.TicketId!.Value));
        Assert.StartsWith("tag TG-", byTag.Rule, StringComparison.Ordinal);
        Assert.Equal((MailOutcome.Threaded, ticket), (byInReplyTo.Outcome, byInReplyTo.TicketId!.Value));
        Assert.Equal("in-reply-to <out-1@example.com>", byInReplyTo.Rule);
        Assert.Equal((MailOutcome.Threaded, ticket), (byReferences.Outcome, byReferences.TicketId!.Value));
        Assert.Equal("references <a1@example.cn>", byReferences.Rule);
        Assert.Equal(5, store.Get(ticket).Messages.Count);
        Assert.Single(store.Get(other.TicketId!.Value).Messages);
        Assert.Contains(store.Get(ticket).History, h => h.Detail.Contains("(in-reply-to <out-1@example.com>)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_TagFromAStranger_MakesANewTicketLinkedToTheOld()
    {
        await using var store = new IntakeStore(engine);
        var first = await store.TakeAsync(Fixtures.Mail("a@example.cn", "咨询", "你好", "s1@example.cn"));
        var tag = TicketReference.Format(first.TicketId!.Value);

        var stranger = await store.TakeAsync(Fixtures.Mail("mallory@example.cn", $"Re: [{tag}] 咨询", "我也是", "s2@example.cn"));

        Assert.Equal(MailOutcome.Created, stranger.Outcome);
        Assert.NotEqual(first.TicketId, stranger.TicketId);
        Assert.Contains(store.Get(stranger.TicketId!.Value).History, h => h.Action == "link" && h.Detail.Contains(tag, StringComparison.Ordinal));
        Assert.Contains(store.Get(first.TicketId.Value).History, h => h.Action == "link");
        Assert.Single(store.Get(first.TicketId.Value).Messages);
    }

    [Fact]
    public async Task Process_CustomerWritesToResolvedInquiry_ReopensItNamingTheRule()
    {
        await using var store = new IntakeStore(engine);
        var first = await store.TakeAsync(Fixtures.Mail("a@example.cn", "咨询", "你好", "o1@example.cn"));
        var reference = TicketReference.Format(first.TicketId!.Value);
        await store.Tickets.ResolveAsync(reference, "answered", "agent");

        var again = await store.TakeAsync(Fixtures.Mail("a@example.cn", $"Re: [{reference}]", "还是不行", "o2@example.cn"));

        Assert.Equal(MailOutcome.Reopened, again.Outcome);
        var d = store.Get(first.TicketId.Value);
        Assert.Equal(TicketStatus.Open, d.Ticket.Status);
        Assert.Contains(d.History, h => h.Action == "reopened" && h.Detail.Contains("tag " + reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_CustomerWritesToAnsweredResolvedComplaint_OpensARepeatComplaint()
    {
        await using var store = new IntakeStore(engine);
        var first = await store.TakeAsync(Fixtures.Mail("a@example.cn", "投诉扣费", "乱扣费", "p1@example.cn"));
        var id = first.TicketId!.Value;
        await store.Tickets.Database.WriteAsync((c, tx) => store.Tickets.RecordFirstReply(c, tx, id, store.Clock.GetUtcNow(), "agent", "test"));
        await store.SendAsync(id, "a@example.cn", "out-p@example.com");
        await store.Tickets.ResolveAsync(TicketReference.Format(id), "refunded", "agent");

        var again = await store.TakeAsync(Fixtures.Mail("a@example.cn", "Re: 投诉扣费", "又扣了", "p2@example.cn", inReplyTo: "out-p@example.com"));

        Assert.Equal(MailOutcome.Repeat, again.Outcome);
        var repeat = store.Get(again.TicketId!.Value);
        Assert.Equal(id, repeat.Ticket.RepeatOf);
        Assert.Equal(TicketKind.Complaint, repeat.Ticket.Kind);
        Assert.Contains(repeat.History, h => h.Action == "repeat" && h.Detail.Contains("in-reply-to", StringComparison.Ordinal));
        Assert.Contains(store.Get(id).History, h => h.Action == "repeat");
    }

    [Fact]
    public async Task Process_AutoReplyToOurMail_IsAttachedWithoutChangingStatus()
    {
        await using var store = new IntakeStore(engine);
        var first = await store.TakeAsync(Fixtures.Mail("zhangsan@example.cn", "投诉", "乱扣费", "q1@example.cn"));
        var id = first.TicketId!.Value;
        await store.SendAsync(id, "zhangsan@example.cn", "reply-1@example.com");
        await store.Tickets.ResolveAsync(TicketReference.Format(id), "done", "agent");

        var ooo = await store.TakeAsync(Fixtures.Raw("auto-reply.eml"));

        Assert.Equal(MailOutcome.Automated, ooo.Outcome);
        Assert.False(ooo.Classification.MayAutoReply);
        var d = store.Get(id);
        Assert.Equal(TicketStatus.Resolved, d.Ticket.Status);
        Assert.True(d.Messages[^1].Automatic);
    }

    [Fact]
    public async Task Process_BounceOfOurReply_AttachesToTicketAndNamesTheUndeliveredMail()
    {
        // Marking the outbox mail undelivered is the reply side's (ReplyMailHandler -> Outbox.RecordBounce).
        await using var store = new IntakeStore(engine);
        var first = await store.TakeAsync(Fixtures.Mail("nobody@example.cn", "咨询", "你好", "w1@example.cn"));
        await store.SendAsync(first.TicketId!.Value, "nobody@example.cn", "reply-1@example.com");

        var bounce = await store.TakeAsync(Fixtures.Raw("dsn-bounce.eml"));

        Assert.Equal(MailOutcome.Bounce, bounce.Outcome);
        Assert.Equal(first.TicketId, bounce.TicketId);
        Assert.Equal(["reply-1@example.com"], bounce.Mail!.BouncedMessageIds);
        Assert.Contains("5.1.1", bounce.Mail.BounceDetail, StringComparison.Ordinal);
        Assert.Contains("bounce of <reply-1@example.com>", bounce.Rule, StringComparison.Ordinal);
        Assert.Equal(1L, store.Scalar<long>("SELECT COUNT(*) FROM tickets"));
    }

    [Theory]
    [InlineData("auto-reply.eml")]
    [InlineData("dsn-bounce.eml")]
    [InlineData("list-mail.eml")]
    public async Task Process_RobotMailBelongingToNoTicket_CreatesNoTicket(string file)
    {
        await using var store = new IntakeStore(engine);
        var r = await store.TakeAsync(Fixtures.Raw(file));

        Assert.Equal(MailOutcome.Ignored, r.Outcome);
        Assert.Equal(0L, store.Scalar<long>("SELECT COUNT(*) FROM tickets"));
        Assert.Equal(1L, store.Scalar<long>("SELECT COUNT(*) FROM mail_inbound WHERE raw IS NOT NULL"));
    }

    [Fact]
    public async Task Process_OurOwnMailComingBack_IsIgnored()
    {
        await using var store = new IntakeStore(engine);
        var r = await store.TakeAsync(Fixtures.Mail("support@example.com", "Re: hi", "x", "own-1@example.com"));
        Assert.Equal(MailOutcome.OwnLoop, r.Outcome);
        Assert.Equal(0L, store.Scalar<long>("SELECT COUNT(*) FROM tickets"));
    }

    [Fact]
    public async Task Process_SameUidTwice_OrSameMessageIdAndBodyUnderNewUid_TakesItOnce()
    {
        await using var store = new IntakeStore(engine);
        var raw = Fixtures.Mail("a@example.cn", "咨询", "你好", "d1@example.cn");
        var first = await store.TakeAsync(raw, 1);
        var sameUid = await store.TakeAsync(raw, 1);
        var redelivered = await store.TakeAsync(System.Text.Encoding.ASCII.GetBytes("Received: by relay2\r\n").Concat(raw).ToArray(), 2);
        var sameIdOtherBody = await store.TakeAsync(Fixtures.Mail("a@example.cn", "咨询", "另一个问题", "d1@example.cn"), 3);

        Assert.Equal(MailOutcome.Created, first.Outcome);
        Assert.Equal(MailOutcome.AlreadySeen, sameUid.Outcome);
        Assert.Equal(MailOutcome.Duplicate, redelivered.Outcome);
        Assert.Equal(first.TicketId, redelivered.TicketId);
        Assert.Equal(MailOutcome.Created, sameIdOtherBody.Outcome);
        Assert.Equal(2L, store.Scalar<long>("SELECT COUNT(*) FROM tickets"));
        Assert.Equal(2L, store.Scalar<long>("SELECT COUNT(*) FROM messages"));
    }

    [Fact]
    public async Task Process_SenderOverHourlyLimit_IsRateLimitedButStillTicketed()
    {
        await using var store = new IntakeStore(engine, new IntakeOptions { AutoReplyLimitPerHour = 2 });
        var results = new List<ProcessedMail>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await store.TakeAsync(Fixtures.Mail("busy@example.cn", $"咨询 {i}", "你好", $"rl{i}@example.cn")));
        }

        Assert.Equal([true, true, false], results.Select(r => r.Classification.MayAutoReply));
        Assert.True(results[2].Classification.IsRateLimited);
        Assert.All(results, r => Assert.Equal(MailOutcome.Created, r.Outcome));
        store.Clock.Advance(TimeSpan.FromHours(1.1));
        Assert.True((await store.TakeAsync(Fixtures.Mail("busy@example.cn", "咨询 later", "你好", "rl9@example.cn"))).Classification.MayAutoReply);
    }

    [Fact]
    public async Task Process_AttachmentsAndHtml_AreKeptWithTheTicket()
    {
        await using var store = new IntakeStore(engine);
        var r = await store.TakeAsync(Fixtures.Raw("html-only.eml"));

        Assert.Equal(1L, store.Scalar<long>($"SELECT COUNT(*) FROM attachments WHERE ticket_id = {r.TicketId} AND message_id = {r.MessageRowId} AND inline = 1 AND content IS NOT NULL"));
        Assert.DoesNotContain("<script", store.Scalar<string>($"SELECT html FROM mail_inbound WHERE id = {r.InboundId}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_RegisteredHandler_SeesEachMailInsideTheTransaction()
    {
        var handler = new RecordingHandler();
        await using var store = new IntakeStore(engine, null, handler);
        var r = await store.TakeAsync(Fixtures.Mail("a@example.cn", "咨询", "你好", "h1@example.cn"));

        var seen = Assert.Single(handler.Seen);
        Assert.Equal((r.InboundId, MailOutcome.Created, true), (seen.Mail.InboundId, seen.Mail.Outcome, seen.Mail.Classification.MayAutoReply));
        Assert.Equal(1L, seen.TicketRowsVisible);
    }

    [Fact]
    public async Task Process_MailAClaimerTakes_IsRecordedAsClaimedWithoutTicketChange()
    {
        await using var store = new IntakeStore(engine, null, [], [new AgentClaimer()]);
        var customer = await store.TakeAsync(Fixtures.Mail("a@example.cn", "咨询", "你好", "c1@example.cn"));
        var tag = TicketReference.Format(customer.TicketId!.Value);

        var agent = await store.TakeAsync(Fixtures.Mail("agent@example.com", $"Re: [{tag}] 咨询", "已处理", "c2@example.cn"));

        Assert.Equal((MailOutcome.Claimed, "agent reply"), (agent.Outcome, agent.Rule));
        Assert.Equal(1L, store.Scalar<long>("SELECT COUNT(*) FROM tickets"));
        Assert.Equal("claimed", store.Scalar<string>($"SELECT outcome FROM mail_inbound WHERE id = {agent.InboundId}"));
    }

    private sealed class AgentClaimer : IInboundMailClaimer
    {
        public MailClaim? Claim(DbConnection connection, DbTransaction transaction, Parsing.InboundMail mail) =>
            mail.FromAddress == "agent@example.com" ? new MailClaim(null, null, "agent reply") : null;
    }

    private sealed class RecordingHandler : IInboundMailHandler
    {
        public List<(ProcessedMail Mail, long TicketRowsVisible)> Seen { get; } = [];

        public void OnMailProcessed(DbConnection connection, DbTransaction transaction, ProcessedMail mail) =>
            Seen.Add((mail, (long)Tickets.Storage.DbExtensions.Scalar(connection, "SELECT COUNT(*) FROM tickets", transaction)!));
    }
}

public sealed class MailProcessorTestsOnSqlite() : MailProcessorTests(StoreKind.Sqlite);

public sealed class MailProcessorTestsOnPostgres() : MailProcessorTests(StoreKind.Postgres);
