namespace TicketGateway.TestSupport;

/// <summary>
/// The engine a storage-touching test runs on. Such a test class is abstract and takes the engine;
/// one sealed class per engine derives from it (<c>XTestsOnSqlite() : XTests(StoreKind.Sqlite)</c>),
/// so every test runs on both without a second copy.
/// </summary>
public enum StoreKind
{
    /// <summary>The embedded default: a SQLite file in the test's folder.</summary>
    Sqlite,

    /// <summary>A fresh database on the test process's private PostgreSQL 15 (<see cref="PostgresServer"/>).</summary>
    Postgres,
}
