using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>
/// The repeat-complaint rule as every channel meets it: the observer runs inside
/// <see cref="TicketService"/>'s creation transaction, which mail intake, the CLI (phone) and the
/// operator exchange all go through.
/// </summary>
public abstract class RepeatComplaintTests(StoreKind engine)
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 12, 0, 0, Cst);

    [Theory]
    [InlineData(Channel.Email)]
    [InlineData(Channel.Phone)]
    [InlineData(Channel.Operator)]
    public async Task CreateAsync_AgainWhileEarlierComplaintPastReplyDeadlineUnanswered_IsRepeatWithRuleInHistory(Channel channel)
    {
        await using var store = new QualityStore(Now, engine);
        // Level 2: reply due 10:00, resolution due two days later; nobody answered by 12:00.
        var earlier = await Create(store, channel, "无法退订", Now.AddHours(-4), level: 2);

        var again = await Create(store, channel, "Re: 无法退订", Now);

        var details = store.Service.Get(again.Ref);
        Assert.Equal(earlier.Id, details.Ticket.RepeatOf);
        var rule = Assert.Single(details.History, h => h.Action == "repeat").Detail;
        Assert.Contains($"complaint {earlier.Ref} not answered in time (past its first-reply deadline)", rule, StringComparison.Ordinal);
        Assert.Contains("same subject", rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_AgainWhileEarlierPastResolutionDeadlineUnresolved_IsRepeatOfIt()
    {
        await using var store = new QualityStore(Now, engine);
        // Level 1 by phone: reply and resolution both due 2 h after acceptance, neither came.
        var earlier = await Create(store, Channel.Phone, "扣费投诉 service code: ABC1", Now.AddHours(-3), level: 1);

        // Another way in (the operator, for the same subscriber), another subject, the same service code.
        var again = await Create(store, Channel.Operator, "乱扣费 service code: abc1", Now);

        var details = store.Service.Get(again.Ref);
        Assert.Equal(earlier.Id, details.Ticket.RepeatOf);
        var rule = Assert.Single(details.History, h => h.Action == "repeat").Detail;
        Assert.Contains("past its first-reply and resolution deadlines", rule, StringComparison.Ordinal);
        Assert.Contains("same service code ABC1", rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_AgainWhileEarlierStillInsideItsReplyDeadline_IsNoRepeat()
    {
        await using var store = new QualityStore(Now, engine);
        // Reply due 13:00: at 12:00 nothing was late yet, so the customer is not complaining about a missed answer.
        await Create(store, Channel.Phone, "无法退订", Now.AddHours(-1), level: 2);

        var again = await Create(store, Channel.Phone, "无法退订", Now);

        Assert.Null(store.Service.Get(again.Ref).Ticket.RepeatOf);
        Assert.DoesNotContain(store.Service.Get(again.Ref).History, h => h.Action == "repeat");
    }

    [Fact]
    public async Task CreateAsync_AgainAfterAnsweredComplaint_IsRepeatByTheAnsweredRule()
    {
        await using var store = new QualityStore(Now, engine);
        var earlier = await Create(store, Channel.Email, "无法退订", Now.AddDays(-3), level: 2);
        await store.Service.Database.WriteAsync((c, tx) => store.Service.RecordFirstReply(c, tx, earlier.Id, Now.AddDays(-3).AddMinutes(30), "test", "test reply"));

        var again = await Create(store, Channel.Email, "无法退订", Now);

        var details = store.Service.Get(again.Ref);
        Assert.Equal(earlier.Id, details.Ticket.RepeatOf);
        Assert.Contains($"within 30 days of answered complaint {earlier.Ref}, same subject", Assert.Single(details.History, h => h.Action == "repeat").Detail, StringComparison.Ordinal);
    }

    private static Task<Ticket> Create(QualityStore store, Channel channel, string subject, DateTimeOffset accepted, int level = 1) =>
        store.Service.CreateAsync(new NewTicket(
            channel, TicketKind.Complaint,
            channel == Channel.Email ? new Customer(null, "li@example.com", null) : new Customer(null, null, "13800000001"),
            subject, "内容", level, AcceptedAt: accepted), channel == Channel.Operator ? "operator:cmcc" : "test");
}

public sealed class RepeatComplaintTestsOnSqlite() : RepeatComplaintTests(StoreKind.Sqlite);

public sealed class RepeatComplaintTestsOnPostgres() : RepeatComplaintTests(StoreKind.Postgres);
