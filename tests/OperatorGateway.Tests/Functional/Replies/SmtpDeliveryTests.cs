using System.Text.Json;
using Xunit.Abstractions;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Replies;

/// <summary>
/// Delivery by the real <c>ticketgw serve</c> to the real SMTP sink: the server down, the gateway
/// killed with SIGKILL while sending, a permanent refusal. Mail is queued from this process into
/// the same store, as the CLI or another gateway process would.
/// </summary>
[RunsLong]
public abstract class SmtpDeliveryTests(StoreKind engine, ITestOutputHelper output)
{
    [Fact]
    public async Task Serve_SinkDownWhileRepliesDue_DeliversEachOnceAfterItReturns()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await sink.StopAsync();
        await using var gateway = await desk.StartAsync(ReplyStack.Environment(sink.Port));
        await using var stack = await ReplyStack.StartAsync(desk.Db, smtpPort: null);
        var tickets = await QueueRepliesAsync(stack, count: 5, resolve: false);

        // The sender tries while the server is down, and keeps the mail.
        await WaitAsync(() => stack.Outbox.List(OutboxStatus.Queued).Count(e => e.Attempts == 0 && e.LastError?.StartsWith("SMTP unavailable", StringComparison.Ordinal) == true) == 5, "every reply attempted while SMTP is down");
        Assert.Empty(sink.Mails());

        await sink.StartAsync();
        await WaitAsync(() => stack.Outbox.List(OutboxStatus.Sent).Count == 5, "all five sent after SMTP returned");

        var received = sink.Mails();
        Assert.Equal(5, received.Count);
        Assert.Equal(
            stack.Outbox.List(null).Select(e => e.MessageId).Order(StringComparer.Ordinal),
            received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        foreach (var t in tickets)
        {
            var ticket = stack.Tickets.Get(t.Ref).Ticket;
            var sent = stack.Outbox.List(OutboxStatus.Sent).Single(e => e.TicketId == t.Id);
            Assert.Equal(sent.SentAt, ticket.FirstReplyAt);
        }
    }

    [Fact]
    public async Task Serve_KilledDuringSending_LosesNothingAndDuplicatesOnlyWithTheSameMessageId()
    {
        using var desk = new Desk(engine);
        // Each mail is stored 0.2 s before the sink answers 250, so a kill usually lands between the
        // server's acceptance and our commit: the one window where a duplicate is allowed.
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"), "--delay", "0.2");
        string[] queued;
        await using (var stack = await ReplyStack.StartAsync(desk.Db, smtpPort: null))
        {
            await QueueRepliesAsync(stack, count: 6, resolve: true);
            queued = [.. stack.Outbox.List(null).Select(e => e.MessageId)];
        }

        Assert.Equal(12, queued.Length);
        var kills = 0;
        foreach (var atLeast in new[] { 3, 7 })
        {
            var gateway = await desk.StartAsync(ReplyStack.Environment(sink.Port));
            await sink.WaitForAsync(m => m.Count >= atLeast);
            await gateway.KillAsync();
            await gateway.DisposeAsync();
            kills++;
        }

        await using (var last = await desk.StartAsync(ReplyStack.Environment(sink.Port)))
        {
            await sink.WaitForAsync(m => m.Select(x => x.MessageId).ToHashSet().Count == queued.Length);
            await using var stack = await ReplyStack.StartAsync(desk.Db, smtpPort: null);
            await WaitAsync(() => stack.Outbox.List(OutboxStatus.Sent).Count == queued.Length, "every mail marked sent");
        }

        var received = sink.Mails();
        output.WriteLine($"{queued.Length} mails queued, {kills} kill -9 while sending, {received.Count} received by the sink, {received.Select(m => m.MessageId).Distinct().Count()} distinct Message-IDs");
        Assert.Equal(queued.Order(StringComparer.Ordinal), received.Select(m => m.MessageId).Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(received.Count - queued.Length, 0, kills);
        foreach (var copies in received.GroupBy(m => m.MessageId).Where(g => g.Count() > 1))
        {
            Assert.Single(copies.Select(m => m.Subject + "|" + m.To + "|" + m.TextBody).Distinct());
        }
    }

    [Fact]
    public async Task Serve_StoppedWhileTheServerHoldsItsAnswer_RecordsTheMailSentSoItNeverGoesTwice()
    {
        using var desk = new Desk(engine);
        // The sink stores the mail 3 s before it answers 250: the stop lands between the two.
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"), "--delay", "3");
        await using var stack = await ReplyStack.StartAsync(desk.Db, smtpPort: null);
        await QueueRepliesAsync(stack, count: 1, resolve: false);
        await using var gateway = await desk.StartAsync(ReplyStack.Environment(sink.Port));
        Assert.Single(await sink.WaitForAsync(m => m.Count == 1));

        Assert.Equal(0, await gateway.StopAsync());

        // Left 'sending', it would be sent again at the next start.
        var entry = Assert.Single(stack.Outbox.List(null));
        Assert.Equal(OutboxStatus.Sent, entry.Status);
        Assert.Equal(entry.MessageId, Assert.Single(sink.Mails()).MessageId);
    }

    [Fact]
    public async Task Serve_RecipientRefusedForGood_MarksFailedVisiblyAndAlertsTheDutyPerson()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"), "--reject", "bad@*");
        await using var gateway = await desk.StartAsync(ReplyStack.Environment(sink.Port));
        await using var stack = await ReplyStack.StartAsync(desk.Db, smtpPort: null);
        var ticket = await stack.Tickets.CreateAsync(new NewTicket(Channel.Email, TicketKind.Complaint, new Customer(null, "bad@customer.test", null), "退费", "请退费"), "cli");
        await stack.Tickets.Database.WriteAsync((c, tx) => stack.Workflow.Reply(c, tx, ticket.Id, "已退费", null, resolve: false, "cli"));

        await WaitAsync(() => stack.Outbox.List(OutboxStatus.Failed).Count == 1, "the refused reply marked failed");
        var list = await desk.RunAsync(ReplyStack.Environment(null), "outbox", "list", "--status", "failed", "--json");
        Assert.Equal(0, list.ExitCode);
        using var doc = JsonDocument.Parse(list.Stdout);
        var failed = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.StartsWith("550", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        // The refusal is an alert of the one mechanism; nobody is on the roster, so its mail goes to Mail:DutyAddress.
        var undelivered = Assert.Single(stack.Alerts.List(ticket.Id));
        Assert.Equal(("undelivered-mail", "disabled", ReplyStack.Duty), (undelivered.Kind, undelivered.WebhookState, undelivered.EmailTo));
        Assert.Contains(stack.Tickets.Get(ticket.Ref).History, h => h.Action == "undelivered");
        Assert.Null(stack.Tickets.Get(ticket.Ref).Ticket.FirstReplyAt);

        var alert = Assert.Single(await sink.WaitForAsync(m => m.Count == 1));
        Assert.Equal(ReplyStack.Duty, alert.To.Mailboxes.Single().Address);
        Assert.Contains("550", alert.TextBody, StringComparison.Ordinal);
        Assert.Equal($"[{ticket.Ref}] 投递失败：退费", alert.Subject);
        await WaitAsync(() => stack.Alerts.List(ticket.Id)[0].EmailState == "sent", "the alert's email state to become sent");

        // A new attempt is possible (the same Message-ID); a sent mail cannot be retried.
        var id = failed.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var retry = await desk.RunAsync(ReplyStack.Environment(null), "outbox", "retry", id);
        Assert.Equal(0, retry.ExitCode);
        await WaitAsync(() => stack.Outbox.Find(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)) is { Status: OutboxStatus.Failed, Attempts: 2 }, "the retried mail refused again");
        var sentId = stack.Outbox.List(OutboxStatus.Sent)[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var refused = await desk.RunAsync(ReplyStack.Environment(null), "outbox", "retry", sentId);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is sent", refused.Stderr, StringComparison.Ordinal);
    }

    private static async Task<List<Ticket>> QueueRepliesAsync(ReplyStack stack, int count, bool resolve)
    {
        var tickets = new List<Ticket>();
        for (var i = 0; i < count; i++)
        {
            var t = await stack.Tickets.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer($"客户{i}", $"c{i}@customer.test", null), $"问题 {i}", "请答复"), "cli");
            await stack.Tickets.Database.WriteAsync((c, tx) => stack.Workflow.Reply(c, tx, t.Id, $"答复 {i}", null, resolve, "cli"));
            tickets.Add(t);
        }

        return tickets;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for: " + what);
            await Task.Delay(100);
        }
    }
}

public sealed class SmtpDeliveryTestsOnSqlite(ITestOutputHelper output) : SmtpDeliveryTests(StoreKind.Sqlite, output);

public sealed class SmtpDeliveryTestsOnPostgres(ITestOutputHelper output) : SmtpDeliveryTests(StoreKind.Postgres, output);
