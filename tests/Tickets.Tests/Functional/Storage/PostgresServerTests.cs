using Npgsql;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>The private PostgreSQL 15 the storage tests run on: databases of their own, and faults on demand.</summary>
[Collection(PostgresServer.FaultsCollection)]
public sealed class PostgresServerTests
{
    private static PostgresServer Server => PostgresServer.Shared;

    [PostgresFact]
    public void Shared_FirstUse_ServesPostgres15OnLoopbackWithPassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.AdminConnectionString);
        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal(Server.Port, builder.Port);

        Assert.StartsWith("15.", Scalar<string>(Server.AdminConnectionString, "SHOW server_version"));
        Assert.Equal("scram-sha-256", Scalar<string>(Server.AdminConnectionString, "SHOW password_encryption"));
        Assert.Equal("on", Scalar<string>(Server.AdminConnectionString, "SHOW fsync"));
        Assert.Equal("200", Scalar<string>(Server.AdminConnectionString, "SHOW max_connections"));

        builder.Password = "not-the-password";
        builder.Pooling = false;
        var refused = Assert.Throws<PostgresException>(() => Scalar<int>(builder.ConnectionString, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [PostgresFact]
    public void CreateDatabase_TwoCalls_GiveTwoDifferentEmptyDatabases()
    {
        var first = Server.CreateDatabase();
        var second = Server.CreateDatabase();

        var firstName = Scalar<string>(first, "SELECT current_database()");
        var secondName = Scalar<string>(second, "SELECT current_database()");
        Assert.NotEqual(firstName, secondName);
        Assert.Equal(0L, Scalar<long>(first, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal(0L, Scalar<long>(second, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

        Execute(first, "CREATE TABLE only_in_first (id int)");
        Assert.Equal(0L, Scalar<long>(second, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

        Server.DropDatabase(firstName);
        Assert.Equal(0L, Scalar<long>(Server.AdminConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{firstName}'"));
        Server.DropDatabase(secondName);
    }

    [PostgresFact]
    public void Restart_RowCommittedBefore_IsThereAfterwards()
    {
        var database = Server.CreateDatabase();
        Execute(database, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('before restart')");

        Server.Restart();
        // The pooled session the restart ended would fail its first command (57P01), as it does in production.
        using (var pooled = new NpgsqlConnection(database))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        Assert.Equal("before restart", Scalar<string>(database, "SELECT note FROM kept"));
    }

    [PostgresFact]
    public void Stop_ConnectionWhileStopped_FailsAndWorksAgainAfterStart()
    {
        var database = Server.CreateDatabase();
        using var open = new NpgsqlConnection(database);
        open.Open();

        Server.Stop();
        try
        {
            using var command = new NpgsqlCommand("SELECT 1", open);
            Assert.ThrowsAny<NpgsqlException>(() => command.ExecuteScalar());
            Assert.ThrowsAny<NpgsqlException>(() => Scalar<int>(database, "SELECT 1"));
        }
        finally
        {
            Server.Start();
        }

        Assert.Equal(1, Scalar<int>(database, "SELECT 1"));
    }

    private static T Scalar<T>(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
