using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Functional.Web;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>An update the operator could not take waits as the shared <see cref="BackoffPolicy"/> says, stored in its row.</summary>
[RunsLong]
public abstract class UpdateDeliveryRetryTests(StoreKind engine)
{
    [Fact]
    public async Task Delivery_OperatorDown_StoresNextAttemptFromTheSharedBackoff()
    {
        await using var peer = await OperatorPeer.StartAsync();
        peer.Received.Unavailable = true;
        using var desk = new Desk(engine);
        await using var gateway = await desk.StartAsync(SlowRetries(peer));
        await SubmitAsync(gateway, "RETRY-1");

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

    [Fact]
    public async Task Retry_FromTheStuckWorkPage_DeliversAtOnceInsteadOfAfterTheBackoffAndNamesTheLead()
    {
        await using var peer = await OperatorPeer.StartAsync();
        peer.Received.Unavailable = true;
        using var desk = new Desk(engine);
        var settings = SlowRetries(peer);
        foreach (var (k, v) in GatewayProcess.WebEnvironment())
        {
            settings[k] = v;
        }

        await desk.InitAsync();
        var added = await GatewayProcess.RunCliWithInputAsync(desk.Path, desk.Environment(), "lead-password\n",
            "agents", "add", "zhao", "--name", "赵组长", "--email", "zhao@desk.test", "--role", "lead", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Stderr);
        await using var gateway = await desk.StartAsync(settings);
        var reference = await SubmitAsync(gateway, "RETRY-2");

        await Eventually.Until(() => Row(desk.Db).Attempts > 0, "the first, failed attempt");
        // The operator is back; without a person the update would wait 8 to 12 minutes.
        peer.Received.Unavailable = false;
        await using var browser = await Web.ConsoleBrowser.OpenAsync();
        var page = await browser.NewPageAsync(gateway.WebUrl!, "en-US");
        await page.GotoAsync("/signin");
        await page.FillAsync("input[name=login]", "zhao");
        await page.FillAsync("input[name=password]", "lead-password");
        await page.ClickAsync("form button[type=submit]:not([name])");
        await page.ReachAsync(gateway.WebUrl + "/");
        await page.GotoAsync("/stuck");
        var row = page.Locator($"tr[data-update='{reference}#1']");
        Assert.Contains("Unavailable", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("button[value=update]").ClickAsync();
        Assert.Equal($"Operator update {reference}#1 queued for a new attempt.", await page.Locator(".done").InnerTextAsync());

        var delivered = await peer.Received.WaitForAsync("RETRY-2", 1, TimeSpan.FromSeconds(20));
        Assert.Equal(1, delivered[0].Sequence);
        using var shown = await desk.JsonAsync("tickets", "show", reference, "--json");
        Assert.Contains(shown.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("actor").GetString() == "zhao" && h.GetProperty("action").GetString() == "retry");

        // The CLI's 'operator retry' is the same service: a delivered update and an unknown one are refused, each in one line.
        var again = await desk.RunAsync("operator", "retry", reference, "1");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("reached the operator already", again.Stderr, StringComparison.Ordinal);
        var unknown = await desk.RunAsync("operator", "retry", reference, "9");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains($"{reference} has no operator update 9", unknown.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The exchange's settings with a first retry 8 to 12 minutes after a failure: longer than any test waits.</summary>
    private static Dictionary<string, string> SlowRetries(OperatorPeer peer) => Exchange.Settings(peer.Url,
        ("OperatorGateway__Delivery__RetryBaseDelay", "00:10:00"),
        ("OperatorGateway__Delivery__RetryMaxDelay", "01:00:00"));

    /// <summary>Operator A files a complaint; its ticket reference.</summary>
    private static async Task<string> SubmitAsync(GatewayProcess gateway, string orderId)
    {
        using var channel = GrpcChannel.ForAddress(gateway.Url);
        return (await Exchange.Client(channel, Exchange.KeyA).SubmitComplaintAsync(Exchange.Complaint(orderId))).TicketRef;
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
