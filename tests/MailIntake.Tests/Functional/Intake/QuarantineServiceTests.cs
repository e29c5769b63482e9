using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Tests.Support;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Tests.Functional.Intake;

public abstract class QuarantineServiceTests(StoreKind engine)
{
    [Fact]
    public async Task Retry_WithTheRightCharset_TurnsTheMailIntoATicketOnce()
    {
        await using var store = new IntakeStore(engine);
        var id = await store.QuarantineAsync(Fixtures.Raw("malformed-charset.eml"), "unknown charset");

        var refused = await Assert.ThrowsAsync<TicketException>(() => store.Quarantine.RetryAsync(id, null, "cli"));
        Assert.Contains("x-unknown-cn", refused.Message, StringComparison.Ordinal);
        var r = await store.Quarantine.RetryAsync(id, "gbk", "cli");

        Assert.Equal(MailOutcome.Created, r.Outcome);
        var ticket = store.Get(r.TicketId!.Value);
        Assert.Equal("我要投诉，这个月被乱扣费。", ticket.Messages[0].Text);
        Assert.Equal(TicketKind.Complaint, ticket.Ticket.Kind);
        var q = store.Quarantine.Get(id);
        Assert.Equal(("retried", r.TicketId), (q.Status, q.TicketId));
        Assert.Empty(store.Quarantine.List());
        await Assert.ThrowsAsync<TicketException>(() => store.Quarantine.RetryAsync(id, "gbk", "cli"));
    }

    [Fact]
    public async Task Retry_HoursAfterTheMailArrived_AcceptsTheTicketWhenTheMailReachedTheMailbox()
    {
        await using var store = new IntakeStore(engine);
        var arrived = store.Clock.GetUtcNow().AddMinutes(-20);
        var id = await store.QuarantineAsync(Fixtures.Raw("malformed-charset.eml"), "unknown charset", arrived);
        store.Clock.Advance(TimeSpan.FromHours(5));

        var r = await store.Quarantine.RetryAsync(id, "gbk", "cli");

        var ticket = store.Get(r.TicketId!.Value);
        Assert.Equal(arrived, ticket.Ticket.AcceptedAt);
        Assert.Equal(store.Tickets.Deadlines.ResolveDue(arrived, ticket.Ticket.Level!.Value).DueAt, ticket.Ticket.ResolveDueAt);
        Assert.Equal(arrived, ticket.Messages[0].At);
        var mailLine = Assert.Single(ticket.History, h => h.Action == "mail").Detail;
        Assert.Contains($"arrived in the mailbox {store.Tickets.Local(arrived)}", mailLine, StringComparison.Ordinal);
        Assert.Contains($"first seen {store.Tickets.Local(arrived.AddMinutes(20))}", mailLine, StringComparison.Ordinal);
        Assert.Contains($"processed {store.Tickets.Local(store.Clock.GetUtcNow())}", mailLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discard_HeldMail_KeepsItsRawBytes()
    {
        await using var store = new IntakeStore(engine);
        var raw = Fixtures.Raw("no-sender.eml");
        var id = await store.QuarantineAsync(raw, "no sender");

        await store.Quarantine.DiscardAsync(id, "cli");

        Assert.Equal("discarded", store.Quarantine.Get(id).Status);
        Assert.Equal(raw, store.Quarantine.Raw(id));
        Assert.Single(store.Quarantine.List(all: true));
    }
}

public sealed class QuarantineServiceTestsOnSqlite() : QuarantineServiceTests(StoreKind.Sqlite);

public sealed class QuarantineServiceTestsOnPostgres() : QuarantineServiceTests(StoreKind.Postgres);
