using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>The gateway host as it runs in production: the real process on a loopback port.</summary>
public sealed class ServeTests
{
    [Fact]
    public async Task Serve_OnEmbeddedSqlite_AnswersGrpcHealthCheckAndHealthz()
    {
        using var dir = new TempDir();
        await using var gateway = await GatewayProcess.StartAsync(dir.Path);

        using var channel = GrpcChannel.ForAddress(gateway.Url);
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);

        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var healthz = await http.GetAsync(new Uri(gateway.Url + "/healthz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal("Healthy", await healthz.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(dir.Path, "data", "ticketgw.db")), "the default SQLite file data/ticketgw.db was not created");
    }

    [Fact]
    public async Task Serve_BadSetting_StopsStartUpNamingTheKey()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, new Dictionary<string, string> { ["Storage__BusyTimeout"] = "00:00:00" }, "serve");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Storage:BusyTimeout", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketCreatedWhileServing_SurvivesKillDashNineAndRestart()
    {
        using var dir = new TempDir();
        var gateway = await GatewayProcess.StartAsync(dir.Path);
        var created = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "create", "--channel", "phone", "--kind", "fee",
            "--customer-phone", "13900139000", "--subject", "本月多扣 10 元", "--text", "请核实");
        Assert.Equal(0, created.ExitCode);
        await gateway.KillAsync();
        await gateway.DisposeAsync();

        await using var restarted = await GatewayProcess.StartAsync(dir.Path);
        var list = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "list", "--json");
        using var doc = JsonDocument.Parse(list.Stdout);
        var t = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("fee", t.GetProperty("kind").GetString());
        Assert.Equal("本月多扣 10 元", t.GetProperty("subject").GetString());

        var show = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "show", t.GetProperty("ref").GetString()!, "--json");
        using var details = JsonDocument.Parse(show.Stdout);
        Assert.Equal("created", details.RootElement.GetProperty("history")[0].GetProperty("action").GetString());
    }
}
