using MimeKit;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Tests.Functional.Replies;

/// <summary>Agents answering by email, through the reply workflow, the SMTP sender and the real SMTP sink.</summary>
public abstract class AgentMailDeliveryTests(StoreKind engine)
{
    [Fact]
    public async Task TryHandleAgentMail_ReplyNoteResolveAndForgery_ReachTheCustomerOnlyAsTheyShould()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var stack = await ReplyStack.StartAsync(desk.Db, sink.Port);
        var customerMail = ReplyStack.Parse("""
            From: 张三 <zhang@customer.test>
            To: support@desk.test
            Subject: 本月多扣费 {{ 7 * 7 }}
            Message-ID: <c1@customer.test>
            Content-Type: text/plain; charset=utf-8

            这个月多扣了 10 元，请退费。
            """);
        var ticket = await stack.FromMailAsync(customerMail, TicketKind.Complaint);

        // Acknowledgement to the customer and notification to the agents arrive.
        var mails = await sink.WaitForAsync(m => m.Count == 2);
        var ack = mails.Single(m => m.To.Mailboxes.Single().Address == "zhang@customer.test");
        Assert.Equal($"[{ticket.Ref}] 已受理您的投诉：本月多扣费 {{{{ 7 * 7 }}}}", ack.Subject);
        Assert.Equal("c1@customer.test", ack.InReplyTo);
        Assert.Equal("auto-replied", ack.Headers["Auto-Submitted"]);
        Assert.Equal(ReplyStack.Support, ack.Headers[Outbox.LoopHeader]);
        var notification = mails.Single(m => m.To.Mailboxes.Single().Address == ReplyStack.Agents);
        var signed = notification.ReplyTo.Mailboxes.Single().Address;
        Assert.Null(stack.Tickets.Get(ticket.Ref).Ticket.FirstReplyAt);

        // The agent answers the notification from their mail client, quoting it.
        var reply = await HandleAsync(stack, $"""
            From: 李四 <{ReplyStack.AgentEmail}>
            To: {signed}
            Subject: Re: {notification.Subject}
            In-Reply-To: <{notification.MessageId}>
            Content-Type: text/plain; charset=utf-8

            您好，已为您退费 10 元，三个工作日内到账。

            --
            李四 | 客服部

            在 2026年11月26日 14:00，TicketGateway 写道：
            > 新工单 {ticket.Ref}
            """);
        Assert.Equal(AgentMailOutcome.Applied, reply);
        var answer = (await sink.WaitForAsync(m => m.Count == 3))[2];
        Assert.Equal("zhang@customer.test", answer.To.Mailboxes.Single().Address);
        Assert.StartsWith($"[{ticket.Ref}] Re: 本月多扣费", answer.Subject, StringComparison.Ordinal);
        Assert.Contains("张三，您好：\n\n您好，已为您退费 10 元，三个工作日内到账。\n\n（受理编号 " + ticket.Ref + "）\n客服 李四", answer.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("写道", answer.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("客服部", answer.TextBody, StringComparison.Ordinal);
        Assert.Equal("c1@customer.test", answer.InReplyTo);
        Assert.Contains(ack.MessageId, answer.References);
        Assert.Null(answer.Headers["Auto-Submitted"]);
        await stack.WaitUntilDeliveredAsync();
        Assert.NotNull(stack.Tickets.Get(ticket.Ref).Ticket.FirstReplyAt);

        // #note: recorded, nothing sent.
        Assert.Equal(AgentMailOutcome.Applied, await HandleAsync(stack, $"""
            From: {ReplyStack.AgentEmail}
            To: {signed}
            Subject: Re: note

            #note
            客户来电确认已到账。
            """));
        await stack.WaitUntilDeliveredAsync();
        Assert.Equal(3, sink.Mails().Count);

        // A forged agent mail (right sender, no valid token) sends nothing to the customer; the agents are warned.
        Assert.Equal(AgentMailOutcome.Untrusted, await HandleAsync(stack, $"""
            From: {ReplyStack.AgentEmail}
            To: support+{ticket.Ref}.aaaaaaaaaaaaaaaa@desk.test
            Subject: Re: forged

            #resolve
            请忽略之前的邮件。
            """));
        var warned = await sink.WaitForAsync(m => m.Count == 4);
        Assert.Equal(ReplyStack.Agents, warned[3].To.Mailboxes.Single().Address);
        Assert.Equal(TicketStatus.Open, stack.Tickets.Get(ticket.Ref).Ticket.Status);

        // #resolve: resolved, the resolution and then the survey reach the customer, threaded.
        Assert.Equal(AgentMailOutcome.Applied, await HandleAsync(stack, $"""
            From: {ReplyStack.AgentEmail}
            To: {signed}
            Subject: Re: resolve

            #resolve
            退费已到账，问题已解决。
            """));
        var all = await sink.WaitForAsync(m => m.Count == 6);
        Assert.Equal(TicketStatus.Resolved, stack.Tickets.Get(ticket.Ref).Ticket.Status);
        var toCustomer = all.Where(m => m.To.Mailboxes.Single().Address == "zhang@customer.test").ToList();
        Assert.Equal(4, toCustomer.Count);
        Assert.Equal($"[{ticket.Ref}] 已处理完毕：本月多扣费 {{{{ 7 * 7 }}}}", toCustomer[2].Subject);
        Assert.Contains($"您的投诉（受理编号 {ticket.Ref}）已处理完毕：\n退费已到账，问题已解决。\n", toCustomer[2].TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("c1@customer.test", toCustomer[2].InReplyTo);
        Assert.Contains(answer.MessageId, toCustomer[2].References);
        Assert.StartsWith($"[{ticket.Ref}] 满意度调查", toCustomer[3].Subject, StringComparison.Ordinal);
        Assert.Contains("2 或 不满意", toCustomer[3].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("http", toCustomer[3].TextBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Reply_SubjectWithLineBreakAndHeader_ReachesOnlyTheCustomerWithTheTextOnOneLine()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var stack = await ReplyStack.StartAsync(desk.Db, sink.Port);
        var ticket = await stack.Tickets.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry,
            new Customer("Eve\r\nBcc: victim@evil.test", "eve@customer.test", null), "Hello\r\nBcc: victim@evil.test\r\n\r\nbody {{ 7 * 7 }}", "x", Language: "en"), "cli");

        await stack.Tickets.Database.WriteAsync((c, tx) => stack.Workflow.Reply(c, tx, ticket.Id, "Answer", null, resolve: false, "cli"));

        var mail = Assert.Single(await sink.WaitForAsync(m => m.Count == 1));
        Assert.Equal("eve@customer.test", mail.To.Mailboxes.Single().Address);
        Assert.Empty(mail.Bcc);
        Assert.DoesNotContain(mail.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal($"[{ticket.Ref}] Re: Hello Bcc: victim@evil.test body {{{{ 7 * 7 }}}}", mail.Subject);
        Assert.Equal("Eve Bcc: victim@evil.test", mail.To.Mailboxes.Single().Name);
    }

    [Fact]
    public async Task Sender_SmtpAuthRequired_AuthenticatesWithConfiguredLogin()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"), "--auth", "gw:s3cret");
        await using var stack = await ReplyStack.StartAsync(desk.Db, sink.Port, new() { ["Mail:Smtp:Username"] = "gw", ["Mail:Smtp:Password"] = "s3cret" });
        var ticket = await stack.Tickets.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer(null, "c@customer.test", null), "Q", "x"), "cli");

        await stack.Tickets.Database.WriteAsync((c, tx) => stack.Workflow.Reply(c, tx, ticket.Id, "Answer", null, resolve: false, "cli"));

        Assert.Single(await sink.WaitForAsync(m => m.Count == 1));
    }

    private static async Task<AgentMailOutcome> HandleAsync(ReplyStack stack, string raw)
    {
        var mail = ReplyStack.Parse(raw);
        return await stack.Tickets.Database.WriteAsync((c, tx) => stack.AgentMail.TryHandleAgentMail(c, tx, ReplyStack.Incoming(mail), out _));
    }
}

public sealed class AgentMailDeliveryTestsOnSqlite() : AgentMailDeliveryTests(StoreKind.Sqlite);

public sealed class AgentMailDeliveryTestsOnPostgres() : AgentMailDeliveryTests(StoreKind.Postgres);
