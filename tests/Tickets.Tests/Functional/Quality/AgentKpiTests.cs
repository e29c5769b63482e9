using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>
/// The figures per agent where the history is not plain: a merge copies the merged ticket's lines into
/// the target (they are not the target's own), a ticket reopened and resolved again belongs to its
/// latest resolver, and a merged ticket counts for nobody, as in the monthly indicators.
/// </summary>
public abstract class AgentKpiTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 9, 10, 10, 0, 0, TimeSpan.FromHours(8));

    private static NewTicket Complaint(string subject, string email) =>
        new(Channel.Email, TicketKind.Complaint, new Customer("张三", email, null), subject, subject, 2);

    [Fact]
    public async Task ComputeByAgent_MergedDuplicateAndReResolvedComplaint_CountsTheTargetsOwnLinesAndTheLatestResolver()
    {
        await using var store = new QualityStore(Now, engine);
        var accounts = new AgentAccounts(store.Service.Database, store.Clock, NullLogger<AgentAccounts>.Instance);
        await accounts.AddAsync(new NewAgent("amy", "Amy", "amy@desk.test", null, AgentRole.Agent), null);
        await accounts.AddAsync(new NewAgent("bob", "Bob", "bob@desk.test", null, AgentRole.Agent), null);
        var target = await store.Service.CreateAsync(Complaint("多扣费", "a@customer.test"), "mail");
        var duplicate = await store.Service.CreateAsync(Complaint("又扣费", "b@customer.test"), "mail");

        // bob answers and resolves the duplicate (first reply 10 min in); it is merged, so the target gets
        // copies of bob's first-reply and resolution lines; then amy answers the target (20 min in): her own
        // first-reply line comes after the copy.
        store.Clock.Advance(TimeSpan.FromMinutes(10));
        await store.Service.Database.WriteAsync((c, tx) => store.Service.RecordFirstReply(c, tx, duplicate.Id, store.Clock.GetUtcNow(), "bob", "answered on the phone"));
        await store.Service.ResolveAsync(duplicate.Ref, "same as the other", "bob");
        await store.Service.MergeAsync(duplicate.Ref, target.Ref, "amy");
        store.Clock.Advance(TimeSpan.FromMinutes(10));
        await store.Service.Database.WriteAsync((c, tx) => store.Service.RecordFirstReply(c, tx, target.Id, store.Clock.GetUtcNow(), "amy", "answered on the phone"));
        // bob resolves the target, it is reopened, amy resolves it again: amy is the resolver.
        await store.Service.ResolveAsync(target.Ref, "refunded", "bob");
        await store.Service.SetStatusAsync(target.Ref, TicketStatus.Open, "cli:root");
        await store.Service.ResolveAsync(target.Ref, "refunded in full", "amy");

        var figures = store.Kpis.ComputeByAgent(KpiMonth.Of(2026, 9, QualityStore.Zone), withRefs: true);

        var amy = figures.Agents.Single(a => a.Login == "amy");
        var bob = figures.Agents.Single(a => a.Login == "bob");
        // One ticket of the month (the duplicate is merged): its first reply and resolution are amy's.
        Assert.Equal((1L, 1L, 1L, 1L), (amy.FirstReplies, amy.FirstRepliesOnTime, amy.ComplaintsResolved, amy.ComplaintsResolvedOnTime));
        Assert.Equal(TimeSpan.FromMinutes(20), amy.MedianFirstReply);
        Assert.Equal((0L, 0L, (TimeSpan?)null), (bob.FirstReplies, bob.ComplaintsResolved, bob.MedianFirstReply));
        Assert.Equal([target.Ref], amy.Refs!["first_replies"]);
        Assert.Equal([target.Ref], amy.Refs!["complaints_resolved"]);
        Assert.Equal(1L, figures.Total("tickets_owned"));
        Assert.Equal([target.Ref], figures.Agents.Single(a => a.Login is null).Refs!["tickets_owned"]);
    }
}

public sealed class AgentKpiTestsOnSqlite() : AgentKpiTests(StoreKind.Sqlite);

public sealed class AgentKpiTestsOnPostgres() : AgentKpiTests(StoreKind.Postgres);
