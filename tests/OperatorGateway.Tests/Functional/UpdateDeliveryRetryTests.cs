using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>An update the operator could not take waits as the shared <see cref="BackoffPolicy"/> says, stored in its row.</summary>
public abstract class UpdateDeliveryRetryTests(StoreKind engine)
{
    [Fact]
    public async Task Delivery_OperatorDown_StoresNextAttemptFromTheSharedBackoff()
    {
        await using var peer = await OperatorPeer.StartAsync();
        peer.Received.Unavailable = true;
        using var desk = new Desk(engine);
        var settings = Exchange.Settings(peer.Url,
            ("OperatorGateway__Delivery__RetryBaseDelay", "00:10:00"),
            ("OperatorGateway__Delivery__RetryMaxDelay", "01:00:00"));
        await using var gateway = await desk.StartAsync(settings);
        using (var channel = GrpcChannel.ForAddress(gateway.Url))
        {
            await Exchange.Client(channel, Exchange.KeyA).SubmitComplaintAsync(Exchange.Complaint("RETRY-1"));
        }

        var policy = new BackoffPolicy(TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
        var until = DateTime.UtcNow.AddSeconds(30);
        (int Attempts, DateTimeOffset QueuedAt, DateTimeOffset Next, string? Error) row;
        while ((row = Row(desk.Db)).Attempts == 0)
        {
            Assert.True(DateTime.UtcNow < until, "the gateway never tried the operator");
            await Task.Delay(100);
        }

        var seen = DateTimeOffset.UtcNow;
        Assert.Equal(1, row.Attempts);
        Assert.StartsWith("Unavailable", row.Error, StringComparison.Ordinal);
        // Failed between queuing and now: the first wait of the policy (8 to 12 minutes), not a later one.
        Assert.InRange(row.Next, row.QueuedAt + policy.Delay(1, 0), seen + policy.Delay(1, 1));
    }

    private static (int Attempts, DateTimeOffset QueuedAt, DateTimeOffset Next, string? Error) Row(TestDatabase db)
    {
        using var connection = db.OpenConnection();
        using var command = connection.Command("SELECT attempts, occurred_at, next_attempt_at, last_error FROM operator_updates ORDER BY id LIMIT 1");
        using var r = command.ExecuteReader();
        return r.Read()
            ? ((int)r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), r.IsDBNull(3) ? null : r.GetString(3))
            : (0, default, default, null);
    }
}

public sealed class UpdateDeliveryRetryTestsOnSqlite() : UpdateDeliveryRetryTests(StoreKind.Sqlite);

public sealed class UpdateDeliveryRetryTestsOnPostgres() : UpdateDeliveryRetryTests(StoreKind.Postgres);
