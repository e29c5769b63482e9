using System.Data.Common;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional;

public abstract class TicketServiceTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    private static NewTicket Complaint(int? level = null) =>
        new(Channel.Phone, TicketKind.Complaint, new Customer("张三", null, "138 0013 8000"), "乱扣费", "用户投诉被扣费", level);

    [Fact]
    public async Task CreateAsync_Complaint_ComputesBothDeadlinesAndRecordsHistory()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Complaint(3), "agent");

        Assert.Equal("TG-000001", t.Ref);
        Assert.Equal(TicketStatus.New, t.Status);
        Assert.Equal("13800138000", t.Customer.Phone);
        Assert.Equal(Now.AddHours(2), t.ReplyDueAt);
        Assert.Equal(new DateTimeOffset(2026, 10, 12, 10, 0, 0, TimeSpan.FromHours(8)), t.ResolveDueAt);

        var details = store.Service.Get(t.Ref);
        var created = Assert.Single(details.History);
        Assert.Equal(("agent", "created"), (created.Actor, created.Action));
        var message = Assert.Single(details.Messages);
        Assert.Equal("用户投诉被扣费", message.Text);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
    }

    [Fact]
    public async Task CreateAsync_ComplaintWithoutLevel_DefaultsToLevelOne()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Complaint(), "agent");
        Assert.Equal(1, t.Level);
        Assert.Equal(Now.AddHours(2), t.ResolveDueAt);
    }

    [Theory]
    [InlineData(TicketKind.Inquiry, 2, "Only complaints")]
    [InlineData(TicketKind.Complaint, 5, "level 5")]
    public async Task CreateAsync_InvalidLevel_IsRefusedAndNothingStored(TicketKind kind, int level, string expected)
    {
        await using var store = new TempStore(Now, engine);
        var ex = await Assert.ThrowsAsync<TicketException>(() => store.Service.CreateAsync(Complaint(level) with { Kind = kind }, "agent"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Empty(store.Service.List(new TicketQuery()));
    }

    [Fact]
    public async Task CreateAsync_PhoneTicketWithoutNumber_IsRefused()
    {
        await using var store = new TempStore(Now, engine);
        var ex = await Assert.ThrowsAsync<TicketException>(() =>
            store.Service.CreateAsync(Complaint() with { Customer = new Customer("x", null, null) }, "agent"));
        Assert.Contains("--customer-phone", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetLevelAsync_RecomputesFromAcceptedTimeAndRecordsOldAndNew()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Complaint(1), "agent");
        store.Clock.Advance(TimeSpan.FromHours(1));

        var changed = await store.Service.SetLevelAsync(t.Ref, 3, "lead");

        Assert.Equal(3, changed.Level);
        Assert.Equal(new DateTimeOffset(2026, 10, 12, 10, 0, 0, TimeSpan.FromHours(8)), changed.ResolveDueAt);
        var line = store.Service.Get(t.Ref).History[^1];
        Assert.Equal("level", line.Action);
        Assert.Contains("level 1 -> 3", line.Detail, StringComparison.Ordinal);
        Assert.Equal(Now.AddHours(1), line.At);
    }

    [Fact]
    public async Task SetLevelAsync_OnAnInquiry_IsAConflict()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Complaint() with { Kind = TicketKind.Inquiry }, "agent");
        var ex = await Assert.ThrowsAsync<TicketException>(() => store.Service.SetLevelAsync(t.Ref, 2, "agent"));
        Assert.Equal(TicketError.Conflict, ex.Error);
    }

    [Fact]
    public async Task ResolveThenReopen_TracksStatusResolvedAtAndHistory()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Complaint(2), "agent");
        store.Clock.Advance(TimeSpan.FromMinutes(90));
        var resolved = await store.Service.ResolveAsync(t.Ref, "已退费", "agent");
        Assert.Equal(TicketStatus.Resolved, resolved.Status);
        Assert.Equal(Now.AddMinutes(90), resolved.ResolvedAt);
        Assert.Equal("已退费", resolved.Resolution);

        await Assert.ThrowsAsync<TicketException>(() => store.Service.ResolveAsync(t.Ref, "again", "agent"));

        var reopened = await store.Service.SetStatusAsync(t.Ref, TicketStatus.Open, "agent");
        Assert.Equal(TicketStatus.Open, reopened.Status);
        Assert.Null(reopened.ResolvedAt);
        Assert.Equal(["created", "resolved", "reopened"], store.Service.Get(t.Ref).History.Select(h => h.Action));
    }

    [Fact]
    public async Task Get_UnknownOrMalformedReference_SaysWhichOne()
    {
        await using var store = new TempStore(Now, engine);
        var missing = Assert.Throws<TicketException>(() => store.Service.Get("TG-000042"));
        Assert.Equal(TicketError.NotFound, missing.Error);
        Assert.Contains("TG-000042", missing.Message, StringComparison.Ordinal);
        var malformed = Assert.Throws<TicketException>(() => store.Service.Get("42"));
        Assert.Equal(TicketError.Invalid, malformed.Error);
    }

    [Fact]
    public async Task List_OrdersByNearestRunningDeadlineAndFilters()
    {
        await using var store = new TempStore(Now, engine);
        var level3 = await store.Service.CreateAsync(Complaint(3), "agent");
        var inquiry = await store.Service.CreateAsync(Complaint() with { Kind = TicketKind.Inquiry, Subject = "问" }, "agent");
        var resolved = await store.Service.CreateAsync(Complaint(1), "agent");
        await store.Service.ResolveAsync(resolved.Ref, "done", "agent");
        store.Clock.Advance(TimeSpan.FromMinutes(1));
        var level1 = await store.Service.CreateAsync(Complaint(1), "agent");

        // Nobody has replied yet: every open ticket's reply deadline (accepted + 2h) runs; ties go by id.
        var all = store.Service.List(new TicketQuery());
        Assert.Equal([level3.Ref, inquiry.Ref, level1.Ref, resolved.Ref], all.Select(t => t.Ref));
        Assert.Equal([inquiry.Ref], store.Service.List(new TicketQuery(Kind: TicketKind.Inquiry)).Select(t => t.Ref));
        Assert.Equal([resolved.Ref], store.Service.List(new TicketQuery(Status: TicketStatus.Resolved)).Select(t => t.Ref));
    }

    [Fact]
    public async Task Ticket_SurvivesRestartWithItsHistory()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Complaint(4), "agent");
        await store.Service.SetLevelAsync(t.Ref, 2, "agent");
        await store.RestartAsync();

        var details = store.Service.Get(t.Ref);
        Assert.Equal(2, details.Ticket.Level);
        Assert.Equal(["created", "level"], details.History.Select(h => h.Action));
    }

    [Fact]
    public async Task History_IsAppendOnlyInTheDatabaseItself()
    {
        await using var store = new TempStore(Now, engine);
        await store.Service.CreateAsync(Complaint(), "agent");
        using var connection = store.Service.Database.Open();
        var ex = Assert.ThrowsAny<DbException>(() => connection.Execute("UPDATE history SET actor = 'forger'"));
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<DbException>(() => connection.Execute("DELETE FROM history"));
    }

    [Fact]
    public async Task WriteAsync_OneFailingChangeInABatch_RollsBackAloneAndOthersCommit()
    {
        await using var store = new TempStore(Now, engine);
        var gate = new TaskCompletionSource();
        // Hold the writer so the next changes queue up and commit in one batch.
        var blocker = store.Service.Database.WriteAsync((_, _) => gate.Task.Wait(TimeSpan.FromSeconds(10)));
        var good1 = store.Service.CreateAsync(Complaint(), "agent");
        var bad = store.Service.Database.WriteAsync<int>((c, tx) =>
        {
            c.Execute("INSERT INTO history (ticket_id, at, actor, action, detail) VALUES (1, 0, 'x', 'x', 'half done')", tx);
            throw new InvalidOperationException("boom");
        });
        var good2 = store.Service.CreateAsync(Complaint(), "agent");
        gate.SetResult();
        await blocker;

        Assert.Equal("TG-000001", (await good1).Ref);
        Assert.Equal("TG-000002", (await good2).Ref);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.DoesNotContain(store.Service.Get("TG-000001").History, h => h.Detail == "half done");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteAsync_ChangeFailsInTheDatabase_NothingOfItStaysItsAfterCommitNeverRunsAndTheNextCommits(bool inABatch)
    {
        await using var store = new TempStore(Now, engine);
        await store.Service.CreateAsync(Complaint(), "agent");
        var gate = new TaskCompletionSource();
        // Held, the writer lets the failing change and a good one queue up and commit in one batch.
        var blocker = inABatch ? store.Service.Database.WriteAsync((_, _) => gate.Task.Wait(TimeSpan.FromSeconds(10))) : Task.FromResult(true);
        var woken = 0;
        var bad = store.Service.Database.WriteAsync<int>((c, tx) =>
        {
            c.Execute("INSERT INTO history (ticket_id, at, actor, action, detail) VALUES (1, 0, 'x', 'x', 'half done')", tx);
            store.Service.Database.AfterCommit(c, () => Interlocked.Increment(ref woken));
            // The history is append-only: the database itself refuses this, and on PostgreSQL the transaction is then aborted.
            return c.Execute("UPDATE history SET actor = 'forger'", tx);
        });
        if (!inABatch)
        {
            // Alone in its batch: nothing else was queued.
            await Assert.ThrowsAnyAsync<DbException>(() => bad);
        }

        var good = store.Service.CreateAsync(Complaint(), "agent");
        gate.SetResult();
        await blocker;

        await Assert.ThrowsAnyAsync<DbException>(() => bad);
        Assert.Equal("TG-000002", (await good).Ref);
        Assert.Equal(0, woken);
        Assert.DoesNotContain(store.Service.Get("TG-000001").History, h => h.Detail == "half done" || h.Actor == "forger");
        Assert.Equal("TG-000003", (await store.Service.CreateAsync(Complaint(), "agent")).Ref);
    }

    [Fact]
    public async Task MarkRepeatAndFirstReply_InOneTransaction_KeepFirstValuesAndRecordRules()
    {
        await using var store = new TempStore(Now, engine);
        var first = await store.Service.CreateAsync(Complaint(), "agent");
        var second = await store.Service.CreateAsync(Complaint(), "agent");
        store.Clock.Advance(TimeSpan.FromMinutes(10));

        await store.Service.Database.WriteAsync((c, tx) =>
        {
            store.Service.MarkRepeat(c, tx, second.Id, first.Id, "same customer within 30 days", "intake");
            store.Service.MarkRepeat(c, tx, second.Id, 999, "later rule", "intake");
            store.Service.RecordFirstReply(c, tx, second.Id, Now.AddMinutes(10), "outbox", "acknowledgement accepted by SMTP");
            return store.Service.RecordFirstReply(c, tx, second.Id, Now.AddMinutes(20), "outbox", "second reply");
        });

        var details = store.Service.Get(second.Ref);
        Assert.Equal(first.Id, details.Ticket.RepeatOf);
        Assert.Equal(Now.AddMinutes(10), details.Ticket.FirstReplyAt);
        Assert.Equal(TicketStatus.Open, details.Ticket.Status);
        Assert.Equal(["created", "repeat", "first-reply"], details.History.Select(h => h.Action));
        Assert.Contains("same customer within 30 days", details.History[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observers_SeeCreateAndChangeInsideTheTransaction_AndAFailingObserverUndoesTheChange()
    {
        await using var store = new TempStore(Now, engine);
        var observer = new RecordingObserver();
        var service = new TicketService(store.Service.Database, store.Service.Deadlines, store.Clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TicketService>.Instance, [observer]);

        var t = await service.CreateAsync(Complaint(1), "agent");
        await service.SetLevelAsync(t.Ref, 2, "agent");
        Assert.Equal(["created TG-000001", "changed TG-000001 level 1->2"], observer.Seen);

        observer.FailNext = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.SetLevelAsync(t.Ref, 4, "agent"));
        Assert.Equal(2, service.Get(t.Ref).Ticket.Level);
        Assert.Equal(["created", "level"], service.Get(t.Ref).History.Select(h => h.Action));
    }

    private sealed class RecordingObserver : ITicketObserver
    {
        public List<string> Seen { get; } = [];

        public bool FailNext { get; set; }

        public void OnCreated(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketOpening opening, string actor) =>
            Seen.Add($"created {ticket.Ref}");

        public void OnChanged(DbConnection connection, DbTransaction transaction, Ticket before, Ticket after, string actor)
        {
            if (FailNext)
            {
                throw new InvalidOperationException("observer failed");
            }

            Seen.Add($"changed {after.Ref} level {before.Level}->{after.Level}");
        }
    }

    [Fact]
    public async Task Change_ColumnWrittenByAnotherWriterAfterTheRead_KeepsThatValueAndWritesOnlyItsOwn()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Complaint(2), "agent");

        // Between the change's read and its write, another writer sets the owner: on PostgreSQL another
        // node's committed UPDATE, here a statement in the same transaction so that both engines show it.
        var changed = await store.Service.Database.WriteAsync((c, tx) => store.Service.Change(c, tx, t.Id, "agent", (read, history) =>
        {
            c.Execute("UPDATE tickets SET owner = 'wang' WHERE id = @id", tx, ("@id", t.Id));
            history("status", "new -> pending");
            return read with { Status = TicketStatus.Pending };
        }));

        Assert.Equal(TicketStatus.Pending, changed.Status);
        var stored = store.Service.Get(t.Ref).Ticket;
        Assert.Equal(TicketStatus.Pending, stored.Status);
        Assert.Equal("wang", stored.Owner);
        Assert.Equal(t.ReplyDueAt, stored.ReplyDueAt);
        Assert.Equal(t.Subject, stored.Subject);
    }
}

public sealed class TicketServiceTestsOnSqlite() : TicketServiceTests(StoreKind.Sqlite);

public sealed class TicketServiceTestsOnPostgres() : TicketServiceTests(StoreKind.Postgres);
