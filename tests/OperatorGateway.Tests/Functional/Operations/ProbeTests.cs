using System.Net;
using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> on the web endpoint over plain HTTP/1.1, as a load balancer or
/// curl asks, from the real <c>ticketgw serve</c> polling a real Dovecot: the checks with their
/// reasons, whether this node leads the mailbox, and a store upgraded by a newer version making the node not ready.
/// </summary>
public abstract class ProbeTests(StoreKind engine)
{
    [Fact]
    public async Task Probes_OnTheWebEndpointOverHttp11_CheckReasonsMailboxLeaderAndUnknownSchemaStepNotReady()
    {
        using var desk = new Desk(engine);
        await using var dovecot = await DovecotServer.StartAsync();
        var env = OperationsSettings.WebAndMailbox(dovecot, TimeSpan.FromSeconds(5));

        await desk.InitAsync();
        await using var gateway = await desk.StartAsync(env);
        using var http = new HttpClient { BaseAddress = new Uri(gateway.WebUrl!), DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        JsonElement ready = default;
        await Eventually.Until(async () =>
        {
            using var response = await http.GetAsync("/readyz");
            ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return response.StatusCode == HttpStatusCode.OK && response.Version == HttpVersion.Version11
                && ready.TryGetProperty("leadsMailbox", out var leads) && leads.GetBoolean();
        }, "/readyz to say this node leads the mailbox");
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        var checks = ready.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("reason").GetString()!);
        Assert.Equal(["mail-leader", "schema", "storage"], checks.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("Mail intake is led by this node", checks["mail-leader"], StringComparison.Ordinal);
        Assert.StartsWith("The schema is current (", checks["schema"], StringComparison.Ordinal);
        Assert.Equal("The store answers.", checks["storage"]);

        using (var live = await http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("application/json; charset=utf-8", live.Content.Headers.ContentType!.ToString());
            using var body = JsonDocument.Parse(await live.Content.ReadAsStringAsync());
            Assert.Contains(body.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "mail-intake");
        }

        // A newer version upgraded the store (a rolling upgrade): this node must leave the pool.
        desk.Db.Scalar("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from a newer version', 0)");
        using var notReady = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        using var reasons = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", reasons.RootElement.GetProperty("status").GetString());
        var schema = reasons.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "schema");
        Assert.Equal("The store has schema step(s) 9999 this version does not know: a newer version upgraded it; upgrade this node.", schema.GetProperty("reason").GetString());
    }
}

public sealed class ProbeTestsOnSqlite() : ProbeTests(StoreKind.Sqlite);

public sealed class ProbeTestsOnPostgres() : ProbeTests(StoreKind.Postgres);
