using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Tests.Functional.Agents;

/// <summary>Owners hear about their tickets at the real SMTP sink; the Agents:N entries become accounts when the server starts.</summary>
public abstract class OwnerNotificationTests(StoreKind engine)
{
    [Fact]
    public async Task CustomerMail_OnAnOwnedTicket_ReachesOnlyTheOwner_AndAnAgentMailReplyMakesTheAgentOwner()
    {
        using var desk = new Desk(engine);
        await desk.InitAsync();
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var stack = await ReplyStack.StartAsync(desk.Db, sink.Port);
        var accounts = stack.Services.GetRequiredService<AgentAccounts>();
        await accounts.AddAsync(new NewAgent("li", "李四", "li@desk.test", null, AgentRole.Agent), null);
        await accounts.AddAsync(new NewAgent("wang", "王五", "wang@desk.test", null, AgentRole.Agent), null);
        await accounts.AddAsync(new NewAgent("zhao", "赵六", "zhao@desk.test", null, AgentRole.Lead), null);

        var owned = await stack.FromMailAsync(Customer("zhang@customer.test", "c1", "本月多扣费"), TicketKind.Complaint);
        var unowned = await stack.FromMailAsync(Customer("qian@customer.test", "c2", "话费查询"), TicketKind.Fee);
        // Two acknowledgements and two notifications to the agents' address: nobody owns either yet.
        var first = await sink.WaitForAsync(m => m.Count == 4);
        Assert.Equal(2, first.Count(m => m.To.Mailboxes.Single().Address == ReplyStack.Agents));
        await stack.Services.GetRequiredService<TicketOwnership>().AssignAsync(owned.Ref, "wang", "zhao");

        await CustomerReplyAsync(stack, owned, "zhang@customer.test");
        await CustomerReplyAsync(stack, unowned, "qian@customer.test");
        await stack.WaitUntilDeliveredAsync();

        var later = (await sink.WaitForAsync(m => m.Count == 6)).Skip(4).ToList();
        var toOwner = Assert.Single(later, m => m.Subject!.Contains(owned.Ref, StringComparison.Ordinal));
        Assert.Equal(["wang@desk.test"], toOwner.To.Mailboxes.Select(b => b.Address));
        Assert.Empty(toOwner.Cc);
        var toAll = Assert.Single(later, m => m.Subject!.Contains(unowned.Ref, StringComparison.Ordinal));
        Assert.Equal([ReplyStack.Agents], toAll.To.Mailboxes.Select(b => b.Address));
        Assert.DoesNotContain(sink.Mails(), m => m.To.Mailboxes.Any(b => b.Address is "li@desk.test" or "zhao@desk.test"));

        // The configured agent lisi (imported when the stack started) answers the unowned ticket by signed mail.
        var outcome = await stack.Tickets.Database.WriteAsync((c, tx) => stack.AgentMail.TryHandleAgentMail(c, tx, ReplyStack.Incoming(ReplyStack.Parse($"""
            From: 李四 <{ReplyStack.AgentEmail}>
            To: {stack.Workflow.SignedAddress(unowned.Id)}
            Subject: Re: 话费查询
            Content-Type: text/plain; charset=utf-8

            您好，本月话费 58 元。
            """)), out _));
        Assert.Equal(AgentMailOutcome.Applied, outcome);
        var details = stack.Tickets.Get(unowned.Ref);
        Assert.Equal("lisi", details.Ticket.Owner);
        Assert.Contains(details.History, h => h.Actor == "lisi" && h.Action == "owner" && h.Detail == "owner - -> lisi (replied)");
    }

    [Fact]
    public async Task Serve_ConfiguredAgents_AreImportedOnceAndNotOverwritten()
    {
        using var desk = new Desk(engine);
        await desk.InitAsync();
        var env = new Dictionary<string, string> { ["Agents__0__Name"] = "李四", ["Agents__0__Email"] = "LiSi@desk.test", ["Agents__1__Name"] = "王五", ["Agents__1__Email"] = "wang@desk.test", ["Agents__1__Login"] = "wangwu" };

        await using (var gateway = await desk.StartAsync(env))
        {
            Assert.Contains("Imported agent lisi <L***@desk.test>", gateway.Log, StringComparison.Ordinal);
            Assert.Contains("Imported agent wangwu <w***@desk.test>", gateway.Log, StringComparison.Ordinal);
        }

        await desk.OkAsync("agents", "disable", "lisi");
        await desk.OkAsync("agents", "role", "wangwu", "lead");
        await using (var again = await desk.StartAsync(env))
        {
            Assert.DoesNotContain("Imported agent", again.Log, StringComparison.Ordinal);
        }

        using var list = await desk.JsonAsync("agents", "list", "--json");
        var rows = list.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("login").GetString()!);
        Assert.Equal(2, rows.Count);
        Assert.False(rows["lisi"].GetProperty("active").GetBoolean());
        Assert.Equal("lead", rows["wangwu"].GetProperty("role").GetString());
        Assert.All(rows.Values, r => Assert.Equal("config", r.GetProperty("source").GetString()));
        Assert.All(rows.Values, r => Assert.Equal(JsonValueKind.False, r.GetProperty("hasPassword").ValueKind));
    }

    private static MimeKit.MimeMessage Customer(string from, string id, string subject) => ReplyStack.Parse($"""
        From: {from}
        To: {ReplyStack.Support}
        Subject: {subject}
        Message-ID: <{id}@customer.test>
        Content-Type: text/plain; charset=utf-8

        请处理。
        """);

    private static Task<int> CustomerReplyAsync(ReplyStack stack, Ticket ticket, string from) => stack.Tickets.Database.WriteAsync((c, tx) =>
    {
        var mail = ReplyStack.Incoming(ReplyStack.Parse($"""
            From: {from}
            To: {ReplyStack.Support}
            Subject: Re: [{ticket.Ref}] {ticket.Subject}
            Content-Type: text/plain; charset=utf-8

            还没有处理吗？
            """));
        stack.Services.GetRequiredService<MailAcknowledgements>().OnCustomerReply(c, tx, stack.Tickets.Get(ticket.Ref).Ticket, mail);
        return 0;
    });
}

public sealed class OwnerNotificationTestsOnSqlite() : OwnerNotificationTests(StoreKind.Sqlite);

public sealed class OwnerNotificationTestsOnPostgres() : OwnerNotificationTests(StoreKind.Postgres);
