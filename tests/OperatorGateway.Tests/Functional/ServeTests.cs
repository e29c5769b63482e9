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
        using var body = JsonDocument.Parse(await healthz.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var storage = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "storage");
        Assert.Equal("Healthy", storage.GetProperty("status").GetString());
        Assert.Equal("The store answers.", storage.GetProperty("reason").GetString());
        Assert.True(File.Exists(Path.Combine(dir.Path, "data", "ticketgw.db")), "the default SQLite file data/ticketgw.db was not created");
    }

    [Fact]
    public async Task Healthz_MailboxUnreachable_BodySaysWhichCheckIsDegradedAndWhy()
    {
        using var dir = new TempDir();
        var port = Ports.Closed();
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, new Dictionary<string, string>
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
        using var dir = new TempDir();
        await using var gateway = await GatewayProcess.StartAsync(dir.Path);
        var lines = gateway.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2} ", l));
    }

    [Fact]
    public async Task Serve_SecondGatewayOnTheSameStore_ExitsTwoWhileTheCliStillWorks()
    {
        using var dir = new TempDir();
        var first = await GatewayProcess.StartAsync(dir.Path);
        var second = await GatewayProcess.RunCliBareAsync(dir.Path, new Dictionary<string, string> { ["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0" }, "serve");
        Assert.Equal(2, second.ExitCode);
        var line = Assert.Single(second.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Another ticketgw serve already serves the store", line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir.Path, "data", "ticketgw.db"), line, StringComparison.Ordinal);

        var created = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "create", "--channel", "phone", "--kind", "inquiry",
            "--customer-phone", "13800138000", "--subject", "s", "--text", "t");
        Assert.Equal(0, created.ExitCode);

        // kill -9 runs no clean-up: the OS releases the lock, and the next gateway serves the store.
        await first.KillAsync();
        await first.DisposeAsync();
        await using var next = await GatewayProcess.StartAsync(dir.Path);
    }

    [Theory]
    [InlineData("Storage:BusyTimeout=00:00:00")]
    [InlineData("--Storage:BusyTimeout=00:00:00")]
    [InlineData("--Storage:BusyTimeout", "00:00:00")]
    public async Task Serve_SettingArgument_IsReadInEveryDocumentedForm(params string[] setting)
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, null, ["serve", .. setting]);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Configuration error: Storage:BusyTimeout must be between", line, StringComparison.Ordinal);
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

    [Fact]
    public async Task Serve_PortTaken_ExitsTwoWithOneLineNamingTheEndpoint()
    {
        using var dir = new TempDir();
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
            var r = await GatewayProcess.RunCliBareAsync(dir.Path, new Dictionary<string, string> { ["Kestrel__Endpoints__Grpc__Url"] = url }, "serve");
            Assert.Equal(2, r.ExitCode);
            var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("Kestrel:Endpoints:Grpc:Url", line, StringComparison.Ordinal);
            Assert.Contains(url, line, StringComparison.Ordinal);
            Assert.Contains("already in use", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Stdout + r.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Theory]
    [InlineData("missing.pfx", null)]
    [InlineData("garbage.pem", "not a certificate")]
    public async Task Serve_UnreadableCertificate_ExitsTwoWithOneLineNamingTheKey(string file, string? content)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, file);
        if (content is not null)
        {
            await File.WriteAllTextAsync(path, content);
        }

        var r = await GatewayProcess.RunCliBareAsync(dir.Path, new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Grpc__Url"] = "https://127.0.0.1:0",
            ["Kestrel__Endpoints__Grpc__Certificate__Path"] = path,
        });
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Kestrel:Endpoints:Grpc:Certificate:Path", line, StringComparison.Ordinal);
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stdout + r.Stderr, StringComparison.Ordinal);
    }
}
