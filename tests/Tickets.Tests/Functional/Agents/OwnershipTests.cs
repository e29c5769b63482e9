using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Tests.Functional.Replies;

namespace TicketGateway.Tickets.Tests.Functional.Agents;

/// <summary>Who owns a ticket: assign, take, the first agent's reply, the owner's notifications, and the round robin of the agents on duty.</summary>
public abstract class OwnershipTests(StoreKind engine)
{
    [Fact]
    public async Task AssignTakeAndUnassign_RecordTheOwnerAndWhoChangedIt()
    {
        await using var host = new ReplyHost(engine);
        var (ownership, accounts) = await TeamAsync(host);
        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "多扣费", "多扣了"), TicketKind.Complaint);
        Assert.Null(ticket.Owner);

        Assert.Equal("li", (await ownership.AssignAsync(ticket.Ref, "LI", "zhao")).Owner);
        Assert.Equal("wang", (await ownership.TakeAsync(ticket.Ref, "wang")).Owner);
        var unowned = await host.Tickets.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13800138000"), "问询", "问询"), "cli:test");

        Assert.Equal([ticket.Id], host.Tickets.List(new TicketQuery { Owner = "wang" }).Select(t => t.Id));
        Assert.Equal([unowned.Id], host.Tickets.List(new TicketQuery { Owner = TicketQuery.Unowned }).Select(t => t.Id));
        Assert.Null((await ownership.AssignAsync(ticket.Ref, null, "zhao")).Owner);

        var owners = host.Tickets.Get(ticket.Ref).History.Where(h => h.Action == "owner").Select(h => (h.Actor, h.Detail));
        Assert.Equal(
            [("zhao", "owner - -> li (assigned)"), ("wang", "owner li -> wang (taken)"), ("zhao", "owner wang -> - (unassigned)")],
            owners);

        await accounts.DisableAsync("li");
        var disabled = await Assert.ThrowsAsync<TicketException>(() => ownership.AssignAsync(ticket.Ref, "li", "zhao"));
        Assert.Contains("disabled", disabled.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TicketException>(() => ownership.AssignAsync(ticket.Ref, "nobody", "zhao"));
        var notAgent = await Assert.ThrowsAsync<TicketException>(() => ownership.TakeAsync(ticket.Ref, "cli:root"));
        Assert.Contains("Only an agent can take a ticket", notAgent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_ByAnAgentToAnUnownedTicket_MakesThemTheOwner_ButNotOnAnOwnedOne()
    {
        await using var host = new ReplyHost(engine);
        var (first, second) = await TwoTicketsSecondOwnedByWangAsync(host);

        await host.WriteAsync((c, tx) => host.Workflow.Reply(c, tx, first.Id, "已退费", null, resolve: false, "li"));
        await host.WriteAsync((c, tx) => host.Workflow.Reply(c, tx, second.Id, "已查询", null, resolve: false, "li"));
        // Not an agent: no owner.
        var third = await host.FromMailAsync(ReplyHost.Mail("qian@customer.test", ReplyHost.Support, "问询", "问询"), TicketKind.Inquiry);
        await host.WriteAsync((c, tx) => host.Workflow.Reply(c, tx, third.Id, "您好", null, resolve: false, "cli:root"));

        Assert.Equal("li", host.Tickets.Get(first.Ref).Ticket.Owner);
        Assert.Contains(host.Tickets.Get(first.Ref).History, h => h.Action == "owner" && h.Actor == "li" && h.Detail == "owner - -> li (replied)");
        Assert.Equal("wang", host.Tickets.Get(second.Ref).Ticket.Owner);
        Assert.Null(host.Tickets.Get(third.Ref).Ticket.Owner);
    }

    [Fact]
    public async Task ReplyByPhone_ByAnAgentToAnUnownedTicket_MakesThemTheOwner_ButNotOnAnOwnedOne()
    {
        await using var host = new ReplyHost(engine);
        var (first, second) = await TwoTicketsSecondOwnedByWangAsync(host);

        await host.WriteAsync((c, tx) => host.Phone.ReplyByPhone(c, tx, first.Id, "电话告知已退费", "li"));
        await host.WriteAsync((c, tx) => host.Phone.ReplyByPhone(c, tx, second.Id, "电话告知已查询", "li"));

        Assert.Equal("li", host.Tickets.Get(first.Ref).Ticket.Owner);
        Assert.Contains(host.Tickets.Get(first.Ref).History, h => h.Action == "owner" && h.Actor == "li" && h.Detail == "owner - -> li (replied)");
        Assert.Equal("wang", host.Tickets.Get(second.Ref).Ticket.Owner);
    }

    [Fact]
    public async Task CustomerMail_OnAnOwnedTicket_NotifiesTheOwnerOnly_AndOnAnUnownedOneTheAgentsAddress()
    {
        await using var host = new ReplyHost(engine);
        var (unowned, owned) = await TwoTicketsSecondOwnedByWangAsync(host);
        var before = host.Queued().Count;

        foreach (var t in new[] { owned, unowned })
        {
            var mail = ReplyHost.Mail(t.Customer.Email!, ReplyHost.Support, "Re: " + t.Subject, "还没有处理吗？");
            await host.WriteAsync((c, tx) =>
            {
                host.Acknowledgements.OnCustomerReply(c, tx, host.Tickets.Get(t.Ref).Ticket, ReplyHost.Incoming(mail));
                return 0;
            });
        }

        var notifications = host.Queued().Skip(before).Select(q => q.Entry).ToList();
        Assert.Equal(2, notifications.Count);
        Assert.Equal(["wang@desk.test"], notifications.Single(n => n.TicketId == owned.Id).Recipients);
        Assert.Equal([ReplyHost.Agents], notifications.Single(n => n.TicketId == unowned.Id).Recipients);
    }

    [Fact]
    public async Task AutoAssign_TwoAgentsOnDuty_TakeNewTicketsInTurn_AndTheNotificationGoesToTheOwner()
    {
        // li is on the roster by login, wang by address; 赵六 has no account and is skipped.
        await using var host = new ReplyHost(engine, Roster(allDay: true));
        await TeamAsync(host);

        var owners = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var t = await host.FromMailAsync(ReplyHost.Mail($"c{i}@customer.test", ReplyHost.Support, $"问题 {i}", "请答复"), TicketKind.Inquiry);
            owners.Add(host.Tickets.Get(t.Ref).Ticket.Owner);
            var notification = host.Queued().Last(q => q.Entry.Purpose == TemplateNames.AgentNotification && q.Entry.TicketId == t.Id);
            Assert.Equal([owners[^1] == "li" ? "li@desk.test" : "wang@desk.test"], notification.Entry.Recipients);
        }

        Assert.Equal(["li", "wang", "li"], owners);
        var history = host.Tickets.Get("TG-000002").History;
        Assert.Contains(history, h => h.Action == "owner" && h.Actor == TicketOwnership.AutoActor && h.Detail == "owner - -> wang (automatic: on duty)");
    }

    [Fact]
    public async Task AutoAssign_NobodyOnDuty_LeavesTheTicketUnassigned()
    {
        await using var host = new ReplyHost(engine, Roster(allDay: false));
        await TeamAsync(host);

        var t = await host.FromMailAsync(ReplyHost.Mail("c@customer.test", ReplyHost.Support, "问题", "请答复"), TicketKind.Inquiry);

        Assert.Null(host.Tickets.Get(t.Ref).Ticket.Owner);
        Assert.DoesNotContain(host.Tickets.Get(t.Ref).History, h => h.Action == "owner");
    }

    /// <summary>The team, and two tickets from mail: the first unowned, the second assigned to wang by the lead.</summary>
    private static async Task<(Ticket, Ticket)> TwoTicketsSecondOwnedByWangAsync(ReplyHost host)
    {
        var (ownership, _) = await TeamAsync(host);
        var first = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "多扣费", "多扣了"), TicketKind.Complaint);
        var second = await host.FromMailAsync(ReplyHost.Mail("zhao@customer.test", ReplyHost.Support, "话费", "查话费"), TicketKind.Fee);
        await ownership.AssignAsync(second.Ref, "wang", "zhao");
        return (first, second);
    }

    /// <summary>Two agents and one lead.</summary>
    private static async Task<(TicketOwnership, AgentAccounts)> TeamAsync(ReplyHost host)
    {
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        await accounts.AddAsync(new NewAgent("li", "李四", "li@desk.test", null, AgentRole.Agent), null);
        await accounts.AddAsync(new NewAgent("wang", "王五", "wang@desk.test", null, AgentRole.Agent), null);
        await accounts.AddAsync(new NewAgent("zhao", "赵六", "zhao@desk.test", null, AgentRole.Lead), null);
        return (host.Services.GetRequiredService<TicketOwnership>(), accounts);
    }

    /// <summary>
    /// Desk:AutoAssign on, and a roster of li (by login), wang (by address) and someone without an
    /// account: around the clock every day, or only one hour on a day three days away (nobody now).
    /// </summary>
    private static Dictionary<string, string?> Roster(bool allDay)
    {
        var settings = new Dictionary<string, string?> { ["Desk:AutoAssign"] = "true" };
        var people = new[] { ("li", "li-private@example.test"), ("王五", "wang@desk.test"), ("没有账号", "nobody@desk.test") };
        var away = DateTime.UtcNow.AddDays(3).DayOfWeek.ToString();
        for (var i = 0; i < people.Length; i++)
        {
            settings[$"Duty:People:{i}:Name"] = people[i].Item1;
            settings[$"Duty:People:{i}:Email"] = people[i].Item2;
            var days = allDay ? Enum.GetNames<DayOfWeek>() : [away];
            for (var d = 0; d < days.Length; d++)
            {
                settings[string.Create(CultureInfo.InvariantCulture, $"Duty:People:{i}:Shifts:0:Days:{d}")] = days[d];
            }

            settings[$"Duty:People:{i}:Shifts:0:From"] = "00:00";
            settings[$"Duty:People:{i}:Shifts:0:To"] = allDay ? "00:00" : "01:00";
        }

        return settings;
    }
}

public sealed class OwnershipTestsOnSqlite() : OwnershipTests(StoreKind.Sqlite);

public sealed class OwnershipTestsOnPostgres() : OwnershipTests(StoreKind.Postgres);
