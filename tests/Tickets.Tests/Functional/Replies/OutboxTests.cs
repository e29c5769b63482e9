using MimeKit;
using TicketGateway.Tickets.Replies;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Replies;

/// <summary>The outbox's stored mail, against the real store.</summary>
public abstract class OutboxTests(StoreKind engine)
{
    [Fact]
    public async Task Queue_MailRefusedThenRetriedAndDeferred_StoredBytesAndMessageIdNeverChange()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.Tickets.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer("Jane", "jane@customer.test", null), "Q", "x", Language: "en"), "cli");
        await host.WriteAsync((c, tx) => host.Workflow.Reply(c, tx, ticket.Id, "Answer", null, resolve: false, "cli"));
        var entry = Assert.Single(host.Outbox.List(null), e => e.Purpose == "agent-reply");
        var queued = host.Outbox.Mime(entry.Id);

        Assert.True(await host.Outbox.Delivery.MarkSendingAsync(entry.Id, CancellationToken.None));
        await host.Outbox.Delivery.MarkFailedAsync(entry.Id, "550 5.1.1 user unknown", CancellationToken.None);
        await host.Outbox.Delivery.RetryAsync(entry.Id, "cli", CancellationToken.None);
        Assert.True(await host.Outbox.Delivery.MarkSendingAsync(entry.Id, CancellationToken.None));
        await host.Outbox.Delivery.MarkRetryAsync(entry.Id, "421 try later", DateTimeOffset.UtcNow, CancellationToken.None);

        // Composed once, when queued: every attempt sends the same bytes with the same Message-ID.
        Assert.Equal(queued, host.Outbox.Mime(entry.Id));
        Assert.Equal(2, host.Outbox.Find(entry.Id)!.Attempts);
        var message = MimeMessage.Load(new MemoryStream(host.Outbox.Mime(entry.Id)));
        Assert.Equal(entry.MessageId, message.MessageId);
        Assert.Equal("jane@customer.test", message.To.Mailboxes.Single().Address);
        // Who asked for the new attempt is in the ticket's history, as for every other action.
        Assert.Contains(host.Tickets.Get(ticket.Ref).History, h => h.Action == "retry" && h.Actor == "cli" && h.Detail.Contains($"outbox {entry.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseUncertainClaims_ClaimOfThisNode_WaitsAgainAtOnceUncounted_AnotherNodesClaimUntouched()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.Tickets.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer("Jane", "jane@customer.test", null), "Q", "x", Language: "en"), "cli");
        await host.WriteAsync((c, tx) => host.Workflow.Reply(c, tx, ticket.Id, "Answer", null, resolve: false, "cli"));
        var reply = Assert.Single(host.Outbox.Due(10), e => e.Purpose == "agent-reply");

        // The claim committed, but (as when the store restarts mid-commit) the sender never learnt it.
        Assert.True(await host.Outbox.Delivery.MarkSendingAsync(reply.Id, CancellationToken.None));
        Assert.DoesNotContain(host.Outbox.Due(10), e => e.Id == reply.Id);

        host.Outbox.Delivery.Uncertain.Remember([reply.Id]);
        Assert.Equal(1, await host.Outbox.Delivery.Uncertain.ReleaseAsync(CancellationToken.None));
        Assert.Equal(0, host.Outbox.Delivery.Uncertain.Count);
        var again = Assert.Single(host.Outbox.Due(10), e => e.Id == reply.Id);
        Assert.Equal(OutboxStatus.Queued, again.Status);
        Assert.Equal(reply.Attempts, again.Attempts);

        // Claimed by another node (it took the mail over and may be sending it): left alone.
        Assert.True(await host.Outbox.Delivery.MarkSendingAsync(reply.Id, CancellationToken.None));
        await host.WriteAsync((c, tx) => c.Execute("UPDATE outbox SET claimed_by = 'another-node' WHERE id = @id", tx, ("@id", reply.Id)));
        host.Outbox.Delivery.Uncertain.Remember([reply.Id]);
        Assert.Equal(0, await host.Outbox.Delivery.Uncertain.ReleaseAsync(CancellationToken.None));
        Assert.DoesNotContain(host.Outbox.Due(10), e => e.Id == reply.Id);
    }

    [Fact]
    public async Task Queue_InTheWritersTransaction_WakesTheSenderOnlyOnceCommittedAndTheMailIsDue()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.Tickets.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer("Jane", "jane@customer.test", null), "Q", "x", Language: "en"), "cli");
        while (await host.Outbox.WaitAsync(TimeSpan.Zero, CancellationToken.None))
        {
            // Wake-ups of the ticket's creation: not what this test is about.
        }

        // A sender woken before the commit finds nothing due and sleeps a whole poll interval.
        var wokenBeforeCommit = await host.WriteAsync((c, tx) =>
        {
            host.Workflow.Reply(c, tx, ticket.Id, "Answer", null, resolve: false, "cli");
            return host.Outbox.WaitAsync(TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult();
        });

        Assert.False(wokenBeforeCommit);
        Assert.True(await host.Outbox.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Contains(host.Outbox.Due(10), e => e.Purpose == "agent-reply");
    }
}

public sealed class OutboxTestsOnSqlite() : OutboxTests(StoreKind.Sqlite);

public sealed class OutboxTestsOnPostgres() : OutboxTests(StoreKind.Postgres);
