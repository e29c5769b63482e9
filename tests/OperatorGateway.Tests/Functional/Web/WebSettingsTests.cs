namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>The web console's settings at start-up: a wrong one stops <c>serve</c> naming its key; off means no endpoint.</summary>
public sealed class WebSettingsTests
{
    [Theory]
    [InlineData("Web__QueueRefresh", "00:00:30", "Web:QueueRefresh")]
    [InlineData("Web__SessionIdleTimeout", "00:00:10", "Web:SessionIdleTimeout")]
    public async Task Serve_WebSettingOutOfRange_ExitsTwoNamingTheKey(string key, string value, string named)
    {
        using var dir = new TempDir();
        var env = GatewayProcess.WebEnvironment();
        env["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0";
        env[key] = value;
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, env, "serve");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WebDisabledButItsEndpointConfigured_ExitsTwoSayingSo()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0",
            ["Kestrel__Endpoints__Web__Url"] = "http://127.0.0.1:0",
            ["Web__Enabled"] = "false",
        }, "serve");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("ticketgw: Configuration error: Web:Enabled is false but Kestrel:Endpoints:Web is configured; remove one of them.", r.Stderr.Trim());
    }

    [Fact]
    public async Task Serve_WebDisabled_ListensOnTheGrpcEndpointOnly()
    {
        using var dir = new TempDir();
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, new Dictionary<string, string> { ["Web__Enabled"] = "false" });
        Assert.Null(gateway.WebUrl);
        // Every endpoint is bound before the host says it started.
        await Eventually.Until(() => gateway.Log.Contains("Application started", StringComparison.Ordinal), "the host's start line");
        Assert.Single(gateway.Log.Split('\n'), l => l.Contains("Now listening on:", StringComparison.Ordinal));
        Assert.DoesNotContain("Web console", gateway.Log, StringComparison.Ordinal);
    }
}
