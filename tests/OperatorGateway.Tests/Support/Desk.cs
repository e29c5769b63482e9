using System.Text.Json;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// A private working folder and the store a <c>ticketgw</c> started in it uses, on one engine: on SQLite
/// the file <c>WORKDIR/data/ticketgw.db</c> (the default path, so tests about the file keep working),
/// on PostgreSQL a fresh database. Runs CLI commands and the server with the store's settings.
/// </summary>
internal sealed class Desk : IDisposable
{
    private readonly TempDir _dir = new();
    private bool _initialised;

    /// <summary>A desk on <paramref name="engine"/>; on PostgreSQL a database of <paramref name="server"/> when given, else of the shared server.</summary>
    public Desk(StoreKind engine, PostgresServer? server = null) => Db = TestDatabase.Create(engine, System.IO.Path.Combine(_dir.Path, "data"), server: server);

    public string Path => _dir.Path;

    public TestDatabase Db { get; }

    /// <summary>The store's settings as environment variables, with <paramref name="more"/> added.</summary>
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? more = null)
    {
        var env = new Dictionary<string, string>(Db.Environment);
        foreach (var (k, v) in more ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        return env;
    }

    /// <summary>
    /// A CLI command where a store exists (<see cref="GatewayProcess.RunCliAsync(string, IReadOnlyDictionary{string, string}?, string[])"/>).
    /// Only the first command may need <c>init</c>: later ones run bare, so PostgreSQL (which has no file
    /// for the check) does not pay for an <c>init</c> process per command.
    /// </summary>
    public async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? more, params string[] args)
    {
        if (_initialised)
        {
            return await GatewayProcess.RunCliBareAsync(Path, Environment(more), args);
        }

        var result = await GatewayProcess.RunCliAsync(Path, Environment(more), args);
        _initialised = result.ExitCode is 0 or 1;
        return result;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>The store made, as <c>ticketgw init</c> makes it (<see cref="GatewayProcess.InitStoreAsync"/>), for a test that starts from an empty desk.</summary>
    public async Task InitAsync()
    {
        await GatewayProcess.InitStoreAsync(Path, Environment());
        _initialised = true;
    }

    /// <summary>A CLI command as given, without preparing a store.</summary>
    public Task<CliResult> RunBareAsync(IReadOnlyDictionary<string, string>? more, params string[] args) =>
        GatewayProcess.RunCliBareAsync(Path, Environment(more), args);

    /// <summary>A CLI command that must succeed.</summary>
    public async Task OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"ticketgw {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
    }

    /// <summary>A CLI command that must succeed, its output read as JSON.</summary>
    public async Task<JsonDocument> JsonAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"ticketgw {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return JsonDocument.Parse(r.Stdout);
    }

    /// <summary><c>ticketgw serve</c> in this folder on this store.</summary>
    public Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string>? more = null) =>
        GatewayProcess.StartAsync(Path, Environment(more));

    /// <summary><c>ticketgw serve</c> in memory on this store.</summary>
    public InMemoryGateway InMemory(IReadOnlyDictionary<string, string>? more = null) => new(Db, more);

    public void Dispose()
    {
        TestDatabase.ClearPools();
        _dir.Dispose();
    }
}
