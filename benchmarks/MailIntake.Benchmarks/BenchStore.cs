using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>
/// A fresh store for one serve run: a SQLite file on disk, or a new database on the PostgreSQL
/// cluster that <c>benchmarks/intake.sh</c> started (port in BENCH_PG_PORT, password in TG_PG_PASSWORD).
/// </summary>
internal sealed class BenchStore
{
    private static int _databases;

    private BenchStore(string engine, string connectionString)
    {
        Engine = engine;
        ConnectionString = connectionString;
    }

    /// <summary>"Sqlite" or "PostgreSQL", as <c>Storage:Provider</c> spells it.</summary>
    public string Engine { get; }

    public string ConnectionString { get; }

    public static bool PostgresAvailable => Environment.GetEnvironmentVariable("BENCH_PG_PORT") is { Length: > 0 };

    public static BenchStore Sqlite(string dir) => new("Sqlite", $"Data Source={Path.Combine(dir, "ticketgw.db")}");

    public static BenchStore Postgres()
    {
        var name = $"bench_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using (var admin = new NpgsqlConnection(PostgresConnection("postgres") + ";Pooling=False"))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            // The name is ours (process id and a counter), never input.
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }

        return new("PostgreSQL", PostgresConnection(name));
    }

    public Dictionary<string, string> Settings() => new()
    {
        ["Storage__Provider"] = Engine,
        ["Storage__ConnectionString"] = ConnectionString,
    };

    public long Count(string sql)
    {
        if (Engine == "Sqlite")
        {
            using var c = new SqliteConnection(ConnectionString + ";Pooling=False;Mode=ReadOnly");
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using var pg = new NpgsqlConnection(ConnectionString + ";Pooling=False");
        pg.Open();
        using var query = pg.CreateCommand();
        query.CommandText = sql;
        return Convert.ToInt64(query.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string PostgresConnection(string database) =>
        $"Host=127.0.0.1;Port={Environment.GetEnvironmentVariable("BENCH_PG_PORT")};Username=tg;Password={Environment.GetEnvironmentVariable("TG_PG_PASSWORD")};Database={database}";
}
