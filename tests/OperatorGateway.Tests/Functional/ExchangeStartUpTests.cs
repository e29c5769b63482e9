using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>Operator settings that stop <c>ticketgw serve</c> before it opens a store (so on no engine in particular).</summary>
public sealed class ExchangeStartUpTests
{
    [Fact]
    public async Task Serve_OperatorWithoutCallbackKey_StopsStartUpNamingTheKey()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, new Dictionary<string, string>
        {
            ["Operators__0__Id"] = "op-a",
            ["Operators__0__ApiKey"] = Exchange.KeyA,
            ["Operators__0__CallbackAddress"] = "http://127.0.0.1:9",
        }, "serve");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Operators:0:CallbackApiKey must be set", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OperatorWithoutCredentials_StopsStartUpNamingTheKey()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, new Dictionary<string, string>
        {
            ["Operators__0__Id"] = "op-a",
            ["Operators__0__CallbackAddress"] = "http://127.0.0.1:9",
        }, "serve");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Operators:0:ApiKey", r.Stderr, StringComparison.Ordinal);
    }
}
