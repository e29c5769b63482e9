using TicketGateway.TestSupport;
using TicketGateway.Tickets.Attachments;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>Merging a duplicate ticket, internal notes, and what a merge does to the monthly figures.</summary>
public abstract class TicketMergeTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 9, 10, 10, 0, 0, TimeSpan.FromHours(8));

    private static NewTicket Inquiry(string subject, string text) =>
        new(Channel.Email, TicketKind.Inquiry, new Customer("张三", "zhangsan@example.cn", null), subject, text);

    [Fact]
    public async Task MergeAsync_TwoEmailTickets_MovesMessagesFilesAndHistoryAndClosesTheDuplicate()
    {
        await using var store = new QualityStore(Now, engine);
        var duplicate = await store.Service.CreateAsync(Inquiry("套餐咨询", "请问有什么套餐？"), "mail");
        var target = await store.Service.CreateAsync(Inquiry("套餐", "想换一个便宜的套餐。"), "mail");
        var file = await store.Service.Database.WriteAsync((c, tx) => AttachmentSql.Insert(c, tx, duplicate.Id, store.Service.Get(duplicate.Ref).Messages[0].Id, NewAttachment.Of("账单.pdf", "application/pdf", [1, 2, 3])));

        var merged = await store.Service.MergeAsync(duplicate.Ref, target.Ref, "agent:lisi");

        Assert.Equal(target.Id, merged.Id);
        var after = store.Service.Get(target.Ref);
        Assert.Equal(["请问有什么套餐？", "想换一个便宜的套餐。"], after.Messages.Select(m => m.Text));
        var moved = Assert.Single(store.Service.Attachments(target.Ref));
        Assert.Equal((file, "账单.pdf", 3L), (moved.Id, moved.Name, moved.Size));
        Assert.Equal([1, 2, 3], store.Service.AttachmentContent(target.Ref, file).Content);
        Assert.Contains(after.History, h => h.Action == "created" && h.Detail.StartsWith($"[{duplicate.Ref}] ", StringComparison.Ordinal));
        Assert.Contains(after.History, h => h.Action == "merged" && h.Actor == "agent:lisi" && h.Detail.Contains("1 message(s), 1 attachment(s)", StringComparison.Ordinal));

        var closed = store.Service.Get(duplicate.Ref);
        Assert.Equal(TicketStatus.Closed, closed.Ticket.Status);
        Assert.Empty(closed.Messages);
        Assert.Empty(store.Service.Attachments(duplicate.Ref));
        Assert.Contains(closed.History, h => h.Action == "merged" && h.Detail.Contains($"merged into {target.Ref}", StringComparison.Ordinal));
        Assert.Equal(target.Id, store.Service.MergeTarget(duplicate.Id));
        Assert.Equal([duplicate.Id], store.Service.MergedFrom(target.Id));
    }

    [Fact]
    public async Task MergeAsync_OperatorComplaintsMergedTicketsItselfAndFinishedTargets_AreRefusedAndNothingChanges()
    {
        await using var store = new QualityStore(Now, engine);
        var (a, b, c) = await ThreeInquiriesAsync(store);
        var operatorComplaint = await store.Service.CreateAsync(
            new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800138000"), "运营商转来投诉", "乱扣费", 1), "operator:op-a");
        var resolved = await store.Service.CreateAsync(Inquiry("d", "d"), "mail");
        await store.Service.ResolveAsync(resolved.Ref, "answered", "cli");

        async Task<TicketException> Refused(string from, string into) =>
            await Assert.ThrowsAsync<TicketException>(() => store.Service.MergeAsync(from, into, "cli"));

        Assert.Contains("into itself", (await Refused(a.Ref, a.Ref)).Message, StringComparison.Ordinal);
        Assert.Contains("operator complaint", (await Refused(operatorComplaint.Ref, a.Ref)).Message, StringComparison.Ordinal);
        Assert.Contains("operator complaint", (await Refused(a.Ref, operatorComplaint.Ref)).Message, StringComparison.Ordinal);
        Assert.Contains("reopen it", (await Refused(a.Ref, resolved.Ref)).Message, StringComparison.Ordinal);
        Assert.Equal(TicketError.NotFound, (await Refused(a.Ref, "TG-000999")).Error);
        await store.Service.MergeAsync(a.Ref, b.Ref, "cli");
        Assert.Contains($"already merged into {b.Ref}", (await Refused(c.Ref, a.Ref)).Message, StringComparison.Ordinal);
        Assert.Contains($"already merged into {b.Ref}", (await Refused(a.Ref, c.Ref)).Message, StringComparison.Ordinal);

        // Only the one merge happened: one row, the operator complaint untouched.
        Assert.Equal(1, store.Db.CountOrMinusOne("SELECT COUNT(*) FROM ticket_merges"));
        Assert.Single(store.Service.Get(operatorComplaint.Ref).Messages);
        Assert.Equal(TicketStatus.New, store.Service.Get(c.Ref).Ticket.Status);
    }

    [Fact]
    public async Task MergeAsync_TargetMergedLater_EarlierMergesPointAtTheLiveTicket()
    {
        await using var store = new QualityStore(Now, engine);
        var (a, b, c) = await ThreeInquiriesAsync(store);
        await store.Service.MergeAsync(a.Ref, b.Ref, "cli");
        await store.Service.MergeAsync(b.Ref, c.Ref, "cli");

        Assert.Equal((c.Id, c.Id), (store.Service.MergeTarget(a.Id), store.Service.MergeTarget(b.Id)));
        Assert.Equal(["a", "b", "c"], store.Service.Get(c.Ref).Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Kpis_MergedDuplicateNeverAnswered_DoesNotCountAsASecondInquiryRepliedLate()
    {
        await using var store = new QualityStore(Now, engine);
        var duplicate = await store.Service.CreateAsync(Inquiry("套餐咨询", "请问有什么套餐？"), "mail");
        var target = await store.Service.CreateAsync(Inquiry("套餐", "想换一个便宜的套餐。"), "mail");
        await store.Service.Database.WriteAsync((c, tx) => store.Service.RecordFirstReply(c, tx, target.Id, Now.AddMinutes(30), "cli", "test"));
        // Both reply deadlines are long past: the unanswered duplicate counts as not replied, until it is merged.
        store.Clock.Advance(TimeSpan.FromDays(3));
        var month = KpiMonth.Of(2026, 9, QualityStore.Zone);

        var before = store.Kpis.Compute(month);
        Assert.Equal((1L, 2L), (before["inquiry_reply_rate"].Numerator, before["inquiry_reply_rate"].Denominator));
        Assert.Equal((1L, 2L), (before["inquiry_timely_reply_rate"].Numerator, before["inquiry_timely_reply_rate"].Denominator));
        Assert.Equal(duplicate.Ref, Assert.Single(before.Missed["inquiry_reply_rate"]).Ref);

        await store.Service.MergeAsync(duplicate.Ref, target.Ref, "cli");
        var after = store.Kpis.Compute(month);
        Assert.Equal((1L, 1L), (after["inquiry_reply_rate"].Numerator, after["inquiry_reply_rate"].Denominator));
        Assert.Equal((1L, 1L), (after["inquiry_timely_reply_rate"].Numerator, after["inquiry_timely_reply_rate"].Denominator));
        Assert.Empty(after.Missed.GetValueOrDefault("inquiry_reply_rate") ?? []);
        Assert.Equal(1L, after.ByKind["inquiry"]);
    }

    [Fact]
    public async Task AddNoteAsync_RecordsAnInternalNoteWithHistory_AndRefusesAnEmptyOne()
    {
        await using var store = new QualityStore(Now, engine);
        var t = await store.Service.CreateAsync(Inquiry("套餐", "想换套餐"), "mail");

        var note = await store.Service.AddNoteAsync(t.Ref, "  已核实：用户是老客户。 ", "agent:lisi");

        var details = store.Service.Get(t.Ref);
        Assert.Equal((MessageDirection.Note, "已核实：用户是老客户。", "agent:lisi"), (details.Messages[^1].Direction, details.Messages[^1].Text, details.Messages[^1].From));
        Assert.Equal(note.Id, details.Messages[^1].Id);
        Assert.Contains(details.History, h => h.Action == "message" && h.Detail.StartsWith("internal note", StringComparison.Ordinal));
        Assert.Equal(TicketError.Invalid, (await Assert.ThrowsAsync<TicketException>(() => store.Service.AddNoteAsync(t.Ref, "  ", "cli"))).Error);
    }

    private static async Task<(Ticket A, Ticket B, Ticket C)> ThreeInquiriesAsync(QualityStore store) =>
        (await store.Service.CreateAsync(Inquiry("a", "a"), "mail"),
         await store.Service.CreateAsync(Inquiry("b", "b"), "mail"),
         await store.Service.CreateAsync(Inquiry("c", "c"), "mail"));
}

public sealed class TicketMergeTestsOnSqlite() : TicketMergeTests(StoreKind.Sqlite);

public sealed class TicketMergeTestsOnPostgres() : TicketMergeTests(StoreKind.Postgres);
