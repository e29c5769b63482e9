using Microsoft.Playwright;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// A store on one engine with an agent, a second agent, a lead and an admin, the real
/// <c>ticketgw serve</c> with its web console on it, and headless chromium: for console tests that
/// must run on both engines (the <see cref="WebConsoleRig"/> of the daily-work tests is SQLite only).
/// </summary>
internal sealed class WebDesk : IAsyncDisposable
{
    public const string Password = "pass-word-1";

    private WebDesk(StoreKind engine) => Desk = new Desk(engine);

    public Desk Desk { get; }

    public GatewayProcess Gateway { get; private set; } = null!;

    public ConsoleBrowser Browser { get; private set; } = null!;

    public string WebUrl => Gateway.WebUrl!;

    /// <summary>The desk with wang and sun (agents), zhao (lead) and boss (admin), <paramref name="seed"/> run before serve starts.</summary>
    public static async Task<WebDesk> StartAsync(StoreKind engine, IReadOnlyDictionary<string, string>? settings = null, Func<Desk, Task>? seed = null)
    {
        var desk = new WebDesk(engine);
        try
        {
            await desk.Desk.InitAsync();
            foreach (var (login, role) in new[] { ("wang", "agent"), ("sun", "agent"), ("zhao", "lead"), ("boss", "admin") })
            {
                await desk.AddAgentAsync(login, role, Password);
            }

            if (seed is not null)
            {
                await seed(desk.Desk);
            }

            var env = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
            foreach (var (k, v) in GatewayProcess.WebEnvironment())
            {
                env[k] = v;
            }

            desk.Gateway = await desk.Desk.StartAsync(env);
            desk.Browser = await ConsoleBrowser.OpenAsync();
            return desk;
        }
        catch
        {
            await desk.DisposeAsync();
            throw;
        }
    }

    public async Task AddAgentAsync(string login, string role, string password)
    {
        var r = await GatewayProcess.RunCliWithInputAsync(Desk.Path, Desk.Environment(), password + "\n",
            "agents", "add", login, "--name", login, "--email", login + "@desk.test", "--role", role, "--password-stdin");
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    public Task<IPage> SignInAsync(string login) => Browser.SignInAsync(WebUrl, login, Password);

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        Desk.Dispose();
    }
}
