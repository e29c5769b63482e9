using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// The gateway host as it runs in production: start-up failures of the real process, and the one-serve-per-file
/// lock, which is SQLite's own (several nodes may serve one PostgreSQL database). <see cref="ServeStoreTests"/>
/// runs the served store on both engines.
/// </summary>
public sealed class ServeTests
{
    [Fact]
    public async Task Serve_SecondGatewayOnTheSameStore_ExitsTwoWhileTheCliStillWorks()
    {
        // SQLite only: the lock file beside the store file is the point.
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

    [Theory]
    [InlineData("Grpc")]
    [InlineData("Web")]
    public async Task Serve_PortTaken_ExitsTwoWithOneLineNamingTheEndpoint(string endpoint)
    {
        using var dir = new TempDir();
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
            var env = endpoint == "Web" ? GatewayProcess.WebEnvironment() : [];
            env.TryAdd("Kestrel__Endpoints__Grpc__Url", "http://127.0.0.1:0");
            env[$"Kestrel__Endpoints__{endpoint}__Url"] = url;
            var r = await GatewayProcess.RunCliBareAsync(dir.Path, env, "serve");
            Assert.Equal(2, r.ExitCode);
            var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"{url} (Kestrel:Endpoints:{endpoint}:Url)", line, StringComparison.Ordinal);
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
