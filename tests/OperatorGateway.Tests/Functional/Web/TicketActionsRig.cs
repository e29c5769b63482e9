using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Playwright;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// One real <c>ticketgw serve</c> with the web console on a store of one engine, an operator peer it
/// calls back (so operator complaints can be filed over gRPC), two agents and one headless chromium,
/// shared by the tests of a class.
/// </summary>
public abstract class TicketActionsRig(StoreKind engine) : IAsyncLifetime, IDisposable
{
    public const string Password = "pass-word-1";
    private Desk _desk = null!;
    private OperatorPeer _peer = null!;
    private GatewayProcess _gateway = null!;
    private GrpcChannel _channel = null!;

    internal ConsoleBrowser Browser { get; private set; } = null!;

    public string WebUrl => _gateway.WebUrl!;

    internal ComplaintExchange.ComplaintExchangeClient Operator => Exchange.Client(_channel, Exchange.KeyA);

    public async Task InitializeAsync()
    {
        _peer = await OperatorPeer.StartAsync();
        _desk = new Desk(engine);
        await _desk.InitAsync();
        foreach (var login in new[] { "wang", "sun" })
        {
            var r = await GatewayProcess.RunCliWithInputAsync(_desk.Path, _desk.Environment(), Password + "\n",
                "agents", "add", login, "--name", login, "--email", login + "@desk.test", "--role", "agent", "--password-stdin");
            Assert.True(r.ExitCode == 0, r.Stderr);
        }

        var settings = Exchange.Settings(_peer.Url);
        foreach (var (k, v) in GatewayProcess.WebEnvironment())
        {
            settings[k] = v;
        }

        _gateway = await _desk.StartAsync(settings);
        _channel = GrpcChannel.ForAddress(_gateway.Url);
        Browser = await ConsoleBrowser.OpenAsync();
    }

    public Task<IPage> SignInAsync(string login) => Browser.SignInAsync(WebUrl, login, Password);

    internal Task<CliResult> CliAsync(params string[] args) => _desk.RunAsync(args);

    /// <summary>A CLI command that must succeed, its output read as JSON.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        using var json = await _desk.JsonAsync(args);
        return json.RootElement.Clone();
    }

    /// <summary>A ticket as <c>tickets show --json</c> prints it.</summary>
    public Task<JsonElement> ShowAsync(string reference) => JsonAsync("tickets", "show", reference, "--json");

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _channel?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await _peer.DisposeAsync();
    }

    public void Dispose()
    {
        _desk.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class TicketActionsRigOnSqlite() : TicketActionsRig(StoreKind.Sqlite);

public sealed class TicketActionsRigOnPostgres() : TicketActionsRig(StoreKind.Postgres);
