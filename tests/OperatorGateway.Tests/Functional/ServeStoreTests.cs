using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>The gateway host on its store, as it runs in production: the real process on a loopback port.</summary>
public abstract class ServeStoreTests(StoreKind engine)
{
    [Fact]
    public async Task Serve_FreshStore_AnswersGrpcHealthCheckAndHealthz()
    {
        using var desk = new Desk(engine);
        await using var gateway = await desk.StartAsync();

        using var channel = GrpcChannel.ForAddress(gateway.Url);
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);

        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var healthz = await http.GetAsync(new Uri(gateway.Url + "/healthz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, healthz.StatusCode);
        using var body = JsonDocument.Parse(await healthz.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var storage = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "storage");
        Assert.Equal("Healthy", storage.GetProperty("status").GetString());
        Assert.Equal("The store answers.", storage.GetProperty("reason").GetString());
        if (engine == StoreKind.Sqlite)
        {
            Assert.True(File.Exists(Path.Combine(desk.Path, "data", "ticketgw.db")), "the SQLite file data/ticketgw.db was not created");
        }
    }

    [Fact]
    public async Task Healthz_MailboxUnreachable_BodySaysWhichCheckIsDegradedAndWhy()
    {
        using var desk = new Desk(engine);
        var port = Ports.Closed();
        await using var gateway = await desk.StartAsync(new Dictionary<string, string>
        {
            ["Mail__Imap__Host"] = "127.0.0.1",
            ["Mail__Imap__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail__Imap__Security"] = "None",
            ["Mail__Imap__Username"] = "support",
            ["Mail__Imap__Password"] = "secret",
            ["Mail__SupportAddress"] = "support@desk.test",
            ["Mail__ReplyTokenSecret"] = "0123456789abcdef0123",
        });

        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        JsonElement mail = default;
        string status = "";
        await Eventually.Until(async () =>
        {
            var healthz = await http.GetAsync(new Uri(gateway.Url + "/healthz"));
            using var body = JsonDocument.Parse(await healthz.Content.ReadAsStringAsync());
            status = body.RootElement.GetProperty("status").GetString()!;
            mail = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "mail-intake").Clone();
            return mail.GetProperty("reason").GetString()!.Contains("lost the connection", StringComparison.Ordinal);
        }, "/healthz to report the lost mailbox connection");

        Assert.Equal("Degraded", status);
        Assert.Equal("Degraded", mail.GetProperty("status").GetString());
        Assert.Contains("127.0.0.1", mail.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ConsoleLog_EveryLineStartsWithAnIso8601TimestampWithOffset()
    {
        using var desk = new Desk(engine);
        await using var gateway = await desk.StartAsync();
        var lines = gateway.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2} ", l));
    }

    [Fact]
    public async Task TicketCreatedWhileServing_SurvivesKillDashNineAndRestart()
    {
        using var desk = new Desk(engine);
        var gateway = await desk.StartAsync();
        var created = await desk.RunAsync("tickets", "create", "--channel", "phone", "--kind", "fee",
            "--customer-phone", "13900139000", "--subject", "本月多扣 10 元", "--text", "请核实");
        Assert.Equal(0, created.ExitCode);
        await gateway.KillAsync();
        await gateway.DisposeAsync();

        await using var restarted = await desk.StartAsync();
        var list = await desk.RunAsync("tickets", "list", "--json");
        using var doc = JsonDocument.Parse(list.Stdout);
        var t = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("fee", t.GetProperty("kind").GetString());
        Assert.Equal("本月多扣 10 元", t.GetProperty("subject").GetString());

        var show = await desk.RunAsync("tickets", "show", t.GetProperty("ref").GetString()!, "--json");
        using var details = JsonDocument.Parse(show.Stdout);
        Assert.Equal("created", details.RootElement.GetProperty("history")[0].GetProperty("action").GetString());
    }
}

public sealed class ServeStoreTestsOnSqlite() : ServeStoreTests(StoreKind.Sqlite);

public sealed class ServeStoreTestsOnPostgres() : ServeStoreTests(StoreKind.Postgres);
