using Microsoft.Extensions.Time.Testing;
using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Tests.Functional.Replies;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>
/// Phone tickets and the hotline calls they came from: named when the ticket is created, or matched
/// by the caller's number and the call's window (start to end plus 15 minutes) when the call records
/// are imported later, or already imported when the ticket is created.
/// </summary>
public abstract class CallLinkTests(StoreKind engine)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly KpiMonth November = KpiMonth.TryParse("2026-11", TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"))!;

    [Fact]
    public async Task ImportAsync_CallOfTheSameCallerLater_LinksPhoneTicketsWithinTheCallsWindowOnly()
    {
        var clock = new FakeTimeProvider(At(12, 0));
        await using var host = new ReplyHost(engine, clock: clock);
        var during = await CreateAsync(host, "+86 138 0013 8000", At(9, 3));         // call 09:00-09:05: inside
        var afterGrace = await CreateAsync(host, "13800138000", At(9, 21));          // 09:05 + 15 min = 09:20: outside
        var beforeStart = await CreateAsync(host, "138-0013-8000", At(8, 59));       // before the call: outside
        var otherCaller = await CreateAsync(host, "13900139000", At(9, 3));          // its only call was not answered
        Assert.All(new[] { during, afterGrace, beforeStart, otherCaller }, t => Assert.Null(t.CallKey));
        var file = Path.Combine(Directory.CreateTempSubdirectory("tg-calls-").FullName, "calls.csv");
        await File.WriteAllTextAsync(file, """
            start,answer,end,caller,disposition
            2026-11-03 09:00:00,2026-11-03 09:00:10,2026-11-03 09:05:00,0086 13800138000,ANSWERED
            2026-11-03 09:02:00,,2026-11-03 09:03:00,13900139000,NO ANSWER
            """);

        var first = await host.Calls.ImportAsync(file, strict: false, null, CancellationToken.None);
        var again = await host.Calls.ImportAsync(file, strict: false, null, CancellationToken.None);
        // Created after the import, still in the window (09:20 is its last minute): linked at once.
        var late = await CreateAsync(host, "13800138000", At(9, 20));

        Assert.Equal((2L, 1L), (first.Imported, first.LinkedTickets));
        Assert.Equal(0, again.LinkedTickets);
        var calls = host.Calls.List(November);
        Assert.Equal([[during.Ticket.Id, late.Ticket.Id], []], calls.Select(c => c.TicketIds.ToArray()));
        Assert.Equal(calls[0].Key, late.CallKey);
        Assert.Contains(host.Tickets.Get(during.Ticket.Ref).History,
            h => (h.Actor, h.Action, h.Detail) == ("calls-import", "call", $"linked to call {calls[0].Key} of the same caller (import)"));
    }

    [Fact]
    public async Task CreateAsync_WithCall_LinkedBeforeTheCallIsImportedAndListedWithIt()
    {
        var clock = new FakeTimeProvider(At(12, 0));
        await using var host = new ReplyHost(engine, clock: clock);
        var request = new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13800138000"), "怎么退订", "来电", AcceptedAt: At(9, 16));

        var (ticket, key) = await host.Phone.CreateAsync(request, "1762132500.17", "cli");
        // Master.csv's first call: 13800138000, 09:15-09:20, uniqueid 1762132500.17. The ticket has its call, so the import links nothing.
        var imported = await host.Calls.ImportAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "Master.csv"), strict: false, null, CancellationToken.None);
        var email = await Assert.ThrowsAsync<TicketException>(() => host.Phone.CreateAsync(
            request with { Channel = Channel.Email, Customer = new Customer(null, "a@customer.test", null) }, "1762132500.17", "cli"));

        Assert.Equal("uid:1762132500.17", key);
        Assert.Equal(0, imported.LinkedTickets);
        var call = Assert.Single(host.Calls.List(November), c => c.Key == key);
        Assert.Equal([ticket.Id], call.TicketIds);
        Assert.All(host.Calls.List(November).Where(c => c.Key != key), c => Assert.Empty(c.TicketIds));
        Assert.Contains(host.Tickets.Get(ticket.Ref).History, h => (h.Action, h.Detail) == ("call", "created for call uid:1762132500.17"));
        Assert.Equal(TicketError.Invalid, email.Error);
    }

    private static DateTimeOffset At(int hour, int minute) => new(2026, 11, 3, hour, minute, 0, China);

    private static Task<(Ticket Ticket, string? CallKey)> CreateAsync(ReplyHost host, string phone, DateTimeOffset accepted) =>
        host.Phone.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, phone), "来电咨询", "来电", AcceptedAt: accepted), null, "cli");
}

public sealed class CallLinkTestsOnSqlite() : CallLinkTests(StoreKind.Sqlite);

public sealed class CallLinkTestsOnPostgres() : CallLinkTests(StoreKind.Postgres);
