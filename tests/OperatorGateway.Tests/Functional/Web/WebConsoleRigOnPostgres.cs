namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>The <see cref="WebConsoleRig"/> on a fresh PostgreSQL database, as a class fixture of its own.</summary>
public sealed class WebConsoleRigOnPostgres : IAsyncLifetime, IDisposable
{
    public WebConsoleRig Rig { get; } = new(StoreKind.Postgres);

    public Task InitializeAsync() => Rig.InitializeAsync();

    public Task DisposeAsync() => Rig.DisposeAsync();

    public void Dispose() => Rig.Dispose();
}
