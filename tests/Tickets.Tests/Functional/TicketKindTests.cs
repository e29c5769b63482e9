using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional;

/// <summary>Changing a ticket's kind (<see cref="TicketService.SetKindAsync"/>), and the queue's running-tickets query.</summary>
public abstract class TicketKindTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    private static NewTicket Contact(TicketKind kind, int? level = null, Channel channel = Channel.Phone) =>
        new(channel, kind, new Customer("张三", null, "138 0013 8000"), "彩铃扣费", "用户来电", level);

    [Fact]
    public async Task SetKindAsync_InquiryToComplaint_GetsTheLevelAndBothDeadlinesFromAcceptance()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Contact(TicketKind.Inquiry), "agent");
        store.Clock.Advance(TimeSpan.FromHours(1));

        var changed = await store.Service.SetKindAsync(t.Ref, TicketKind.Complaint, 3, "wang");

        Assert.Equal((TicketKind.Complaint, (int?)3), (changed.Kind, changed.Level));
        var asComplaint = await store.Service.CreateAsync(Contact(TicketKind.Complaint, 3) with { AcceptedAt = Now }, "agent");
        Assert.Equal((asComplaint.ReplyDueAt, asComplaint.ResolveDueAt), (changed.ReplyDueAt, changed.ResolveDueAt));
        var line = store.Service.Get(t.Ref).History[^1];
        Assert.Equal(("wang", "kind", Now.AddHours(1)), (line.Actor, line.Action, line.At));
        Assert.StartsWith("kind inquiry -> complaint; level - -> 3;", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetKindAsync_ComplaintToFee_LosesLevelAndResolutionDeadline()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Contact(TicketKind.Complaint, 2), "agent");

        var changed = await store.Service.SetKindAsync(t.Ref, TicketKind.Fee, null, "wang");

        Assert.Equal((TicketKind.Fee, (int?)null, (DateTimeOffset?)null), (changed.Kind, changed.Level, changed.ResolveDueAt));
        Assert.Equal(store.Service.Deadlines.ReplyDue(Now, TicketKind.Fee), changed.ReplyDueAt);
        Assert.Equal(changed, store.Service.Get(t.Ref).Ticket);
    }

    [Fact]
    public async Task SetKindAsync_SameKind_ChangesNothing()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Contact(TicketKind.Report), "agent");
        await store.Service.SetKindAsync(t.Ref, TicketKind.Report, null, "wang");
        Assert.Equal(["created"], store.Service.Get(t.Ref).History.Select(h => h.Action));
    }

    [Fact]
    public async Task SetKindAsync_OperatorComplaintOrALevelForAnInquiry_IsRefusedAndNothingChanges()
    {
        await using var store = new TempStore(Now, engine);
        var filed = await store.Service.CreateAsync(Contact(TicketKind.Complaint, 1, Channel.Operator), "operator:op-a");
        var inquiry = await store.Service.CreateAsync(Contact(TicketKind.Inquiry), "agent");

        var byOperator = await Assert.ThrowsAsync<TicketException>(() => store.Service.SetKindAsync(filed.Ref, TicketKind.Inquiry, null, "wang"));
        var withLevel = await Assert.ThrowsAsync<TicketException>(() => store.Service.SetKindAsync(inquiry.Ref, TicketKind.Fee, 2, "wang"));

        Assert.Equal(TicketError.Conflict, byOperator.Error);
        Assert.Contains("operator complaint", byOperator.Message, StringComparison.Ordinal);
        Assert.Equal(TicketError.Invalid, withLevel.Error);
        Assert.Equal(filed, store.Service.Get(filed.Ref).Ticket);
        Assert.Equal(inquiry, store.Service.Get(inquiry.Ref).Ticket);
    }

    [Fact]
    public async Task List_Running_NearestDeadlineFirstWithoutFinishedOnes_LevelAndOwnerFiltered()
    {
        await using var store = new TempStore(Now, engine);
        var late = await store.Service.CreateAsync(Contact(TicketKind.Complaint, 4), "agent");
        store.Clock.Advance(TimeSpan.FromMinutes(10));
        var soon = await store.Service.CreateAsync(Contact(TicketKind.Complaint, 1), "agent");
        var done = await store.Service.CreateAsync(Contact(TicketKind.Complaint, 1), "agent");
        await store.Service.ResolveAsync(done.Ref, "已处理", "agent");
        var paused = await store.Service.CreateAsync(Contact(TicketKind.Inquiry), "agent");
        await store.Service.SetStatusAsync(paused.Ref, TicketStatus.Pending, "agent");

        var running = store.Service.List(new TicketQuery { Running = true });
        var level1 = store.Service.List(new TicketQuery { Running = true, Level = 1 });
        var nobodys = store.Service.List(new TicketQuery { Running = true, Owner = TicketQuery.Unowned, Limit = 2 });

        Assert.Equal([late.Id, soon.Id, paused.Id], running.Select(t => t.Id).Order());
        Assert.Equal(running.OrderBy(t => t.NextDueAt).ThenBy(t => t.Id).Select(t => t.Id), running.Select(t => t.Id));
        Assert.Equal([soon.Id], level1.Select(t => t.Id));
        Assert.Equal(running.Take(2).Select(t => t.Id), nobodys.Select(t => t.Id));
    }
}

public sealed class TicketKindTestsOnSqlite() : TicketKindTests(StoreKind.Sqlite);

public sealed class TicketKindTestsOnPostgres() : TicketKindTests(StoreKind.Postgres);
