using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>The alert webhook's failed posts wait as the shared <see cref="BackoffPolicy"/> says, stored in the alert.</summary>
public abstract class AlertWebhookRetryTests(StoreKind engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Urge_InTheWritersTransaction_WakesTheWorkerOnlyOnceCommitted()
    {
        await using var store = new QualityStore(T0, engine, alerts: new AlertsOptions { Webhook = new WebhookOptions { Url = "http://127.0.0.1:9/robot" } });
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800000001"), "内容不符", "text", 3), "operator");
        while (await store.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None))
        {
            // Wake-ups before the urge: not what this test is about.
        }

        // A worker woken before the commit finds no alert to post and sleeps until its next scan.
        var wokenBeforeCommit = await store.Service.Database.WriteAsync((c, tx) =>
        {
            store.AlertStore.Urge(c, tx, ticket.Id, null, "operator");
            return store.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult();
        });

        Assert.False(wokenBeforeCommit);
        Assert.True(await store.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Contains(store.AlertStore.PendingWebhook(store.Clock.GetUtcNow(), 10), a => a.Kind == AlertKinds.Urge && a.TicketId == ticket.Id);
    }

    [Fact]
    public async Task ReleaseUncertainClaims_PostClaimedByThisNode_DueAgainAtOnceUncounted_AnotherNodesClaimUntouched()
    {
        await using var store = new QualityStore(T0, engine, alerts: new AlertsOptions { Webhook = new WebhookOptions { Url = "http://127.0.0.1:9/robot" } });
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800000001"), "内容不符", "text", 3), "operator");
        var id = await store.Service.Database.WriteAsync((c, tx) => store.AlertStore.Urge(c, tx, ticket.Id, null, "operator"));
        var uncertain = new UncertainClaims(AlertStore.WebhookDeliveries, store.Service.Database);
        var now = store.Clock.GetUtcNow();
        bool Due() => store.AlertStore.PendingWebhook(now, 10).Any(a => a.Id == id);
        // Both nodes beat (NodeHeartbeat): a claim of a node that stopped beating would be due anyway.
        foreach (var node in new[] { NodeIdentity.Id, "another-node" })
        {
            await store.Service.Database.WriteAsync((c, tx) => c.Execute("INSERT INTO leases (name, holder, token, expires_at) VALUES (@n, @h, 1, @e)", tx,
                ("@n", "node:" + node), ("@h", node), ("@e", (now + TimeSpan.FromHours(1)).ToDb())));
        }


        // The claim committed, but (as when the store restarts mid-commit) the worker never learnt it:
        // without the release the post would wait out the one-minute lease.
        Assert.True(await store.Service.Database.WriteAsync((c, tx) => AlertStore.WebhookDeliveries.Claim(c, tx, id, now, now + TimeSpan.FromMinutes(1))));
        Assert.False(Due());
        uncertain.Remember([id]);
        Assert.Equal(1, await uncertain.ReleaseAsync(CancellationToken.None));
        Assert.True(Due());
        Assert.Equal(0, store.AlertStore.PendingWebhook(now, 10).Single(a => a.Id == id).WebhookAttempts);

        // Claimed by another node (it took the post over and may be posting it): left alone.
        Assert.True(await store.Service.Database.WriteAsync((c, tx) => AlertStore.WebhookDeliveries.Claim(c, tx, id, now, now + TimeSpan.FromMinutes(1))));
        await store.Service.Database.WriteAsync((c, tx) => c.Execute("UPDATE alerts SET claimed_by = 'another-node' WHERE id = @id", tx, ("@id", id)));
        uncertain.Remember([id]);
        Assert.Equal(0, await uncertain.ReleaseAsync(CancellationToken.None));
        Assert.False(Due());
        Assert.Equal(0, uncertain.Count);
    }

    [Fact]
    public async Task MarkWebhook_FailedPosts_StoreNextAttemptFromTheSharedBackoffAndGiveUpAtRetryMaxAttempts()
    {
        var alerts = new AlertsOptions
        {
            Webhook = new WebhookOptions
            {
                Url = "http://127.0.0.1:9/robot",
                RetryBaseDelay = TimeSpan.FromMinutes(1),
                RetryMaxDelay = TimeSpan.FromMinutes(30),
                RetryMaxAttempts = 3,
            },
        };
        await using var store = new QualityStore(T0, engine, alerts: alerts);
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800000001"), "内容不符", "text", 3), "operator");
        var id = await store.Service.Database.WriteAsync((c, tx) => store.AlertStore.Urge(c, tx, ticket.Id, null, "operator"));
        var policy = alerts.Webhook.RetryBackoff();

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var now = store.Clock.GetUtcNow();
            await store.Service.Database.WriteAsync((c, tx) =>
            {
                store.AlertStore.MarkWebhook(c, tx, id, "HTTP 500 Internal Server Error", now);
                return 0;
            });

            var (state, attempts, next, error) = Row(store, id);
            Assert.Equal((AlertStates.Pending, attempt, "HTTP 500 Internal Server Error"), (state, attempts, error));
            Assert.InRange(next, now + policy.Delay(attempt, 0), now + policy.Delay(attempt, 1));
            Assert.Empty(store.AlertStore.PendingWebhook(now, 10));
            Assert.Single(store.AlertStore.PendingWebhook(next, 10));
            store.Clock.SetUtcNow(next);
        }

        await store.Service.Database.WriteAsync((c, tx) =>
        {
            store.AlertStore.MarkWebhook(c, tx, id, "HTTP 500 Internal Server Error", store.Clock.GetUtcNow());
            return 0;
        });
        Assert.Equal((AlertStates.Failed, 3), (Row(store, id).State, Row(store, id).Attempts));
    }

    [Fact]
    public async Task MarkWebhook_PostAccepted_IsSentWithoutCountingAFailure()
    {
        await using var store = new QualityStore(T0, engine, alerts: new AlertsOptions { Webhook = new WebhookOptions { Url = "http://127.0.0.1:9/robot" } });
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800000001"), "内容不符", "text", 3), "operator");
        var id = await store.Service.Database.WriteAsync((c, tx) => store.AlertStore.Urge(c, tx, ticket.Id, null, "operator"));

        await store.Service.Database.WriteAsync((c, tx) =>
        {
            store.AlertStore.MarkWebhook(c, tx, id, null, store.Clock.GetUtcNow());
            return 0;
        });

        var alert = Assert.Single(store.AlertStore.List());
        Assert.Equal((AlertStates.Sent, 0), (alert.WebhookState, alert.WebhookAttempts));
    }

    [Fact]
    public async Task RetryAsync_GivenUpPost_IsPostedOnceMoreNowAndTheHistoryNamesWhoAsked()
    {
        var alerts = new AlertsOptions { Webhook = new WebhookOptions { Url = "http://127.0.0.1:9/robot", RetryMaxAttempts = 1 } };
        await using var store = new QualityStore(T0, engine, alerts: alerts);
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800000001"), "内容不符", "text", 3), "operator");
        var id = await store.Service.Database.WriteAsync((c, tx) => store.AlertStore.Urge(c, tx, ticket.Id, null, "operator"));
        await store.Service.Database.WriteAsync((c, tx) =>
        {
            store.AlertStore.MarkWebhook(c, tx, id, "HTTP 502 Bad Gateway", store.Clock.GetUtcNow());
            return 0;
        });
        Assert.Equal(AlertStates.Failed, Row(store, id).State);

        store.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["chat"], await store.AlertStore.RetryAsync(id, "zhao"));
        Assert.Equal(AlertStates.Pending, Row(store, id).State);
        Assert.Single(store.AlertStore.PendingWebhook(store.Clock.GetUtcNow(), 10));
        Assert.Contains(store.Service.Get(ticket.Ref).History, h => h.Actor == "zhao" && h.Action == "retry" && h.Detail.Contains($"alert {id}", StringComparison.Ordinal));

        // Nothing failed any more: refused, as is an alert that does not exist.
        var again = await Assert.ThrowsAsync<TicketException>(() => store.AlertStore.RetryAsync(id, "zhao"));
        Assert.Equal(TicketError.Conflict, again.Error);
        var unknown = await Assert.ThrowsAsync<TicketException>(() => store.AlertStore.RetryAsync(id + 1000, "zhao"));
        Assert.Equal(TicketError.NotFound, unknown.Error);

        // One more post: failing again gives it up again at once.
        await store.Service.Database.WriteAsync((c, tx) =>
        {
            store.AlertStore.MarkWebhook(c, tx, id, "HTTP 502 Bad Gateway", store.Clock.GetUtcNow());
            return 0;
        });
        Assert.Equal(AlertStates.Failed, Row(store, id).State);
    }

    private static (string State, int Attempts, DateTimeOffset Next, string? Error) Row(QualityStore store, long id) => store.Service.Database.Read(c =>
    {
        using var command = c.Command("SELECT webhook_state, webhook_attempts, webhook_next_at, webhook_error FROM alerts WHERE id = @id", null, ("@id", id));
        using var r = command.ExecuteReader();
        Assert.True(r.Read());
        return (r.GetString(0), r.GetInt32(1), r.Instant(2), r.StringOrNull(3));
    });
}

public sealed class AlertWebhookRetryTestsOnSqlite() : AlertWebhookRetryTests(StoreKind.Sqlite);

public sealed class AlertWebhookRetryTestsOnPostgres() : AlertWebhookRetryTests(StoreKind.Postgres);
