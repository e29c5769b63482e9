using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.TestSupport;

/// <summary>
/// Where one test's store lives: a SQLite file in the test's folder, or a fresh, empty database on
/// the shared PostgreSQL server. Gives the settings for an in-process store, a host or a
/// <c>ticketgw</c> process, and a plain connection for a test that looks at the tables itself.
/// </summary>
internal sealed class TestDatabase
{
    private TestDatabase(StoreKind kind, string connectionString, string? filePath)
    {
        Kind = kind;
        ConnectionString = connectionString;
        FilePath = filePath;
    }

    public StoreKind Kind { get; }

    public string Provider => Kind == StoreKind.Postgres ? "PostgreSQL" : "Sqlite";

    public string ConnectionString { get; }

    /// <summary>The SQLite file, or null on PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>Storage options for a store opened in the test process.</summary>
    public StorageOptions Options => new() { Provider = Provider, ConnectionString = ConnectionString };

    /// <summary>The same as configuration keys (<c>Storage:Provider</c>, <c>Storage:ConnectionString</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Provider,
        ["Storage:ConnectionString"] = ConnectionString,
    };

    /// <summary>The same as environment variables for a <c>ticketgw</c> process (<c>Storage__Provider</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Storage__Provider"] = Provider,
        ["Storage__ConnectionString"] = ConnectionString,
    };

    /// <summary>
    /// A store for <paramref name="kind"/>: on SQLite the file <paramref name="fileName"/> in
    /// <paramref name="folder"/> (a relative name stays relative, for a process started in that folder);
    /// on PostgreSQL a new database, on <paramref name="server"/> when given, else on the shared server.
    /// </summary>
    public static TestDatabase Create(StoreKind kind, string folder, string fileName = "ticketgw.db", PostgresServer? server = null) => kind switch
    {
        StoreKind.Postgres => new TestDatabase(kind, (server ?? PostgresServer.Shared).CreateDatabase(), null),
        _ => new TestDatabase(kind, $"Data Source={Path.Combine(folder, fileName)}", Path.Combine(folder, fileName)),
    };

    /// <summary>An open connection to the store without the gateway's code in between (the caller disposes it).</summary>
    public DbConnection OpenConnection()
    {
        DbConnection connection = Kind == StoreKind.Postgres
            ? new NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString + ";Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, as <see cref="DbExtensions.Scalar"/> gives it.</summary>
    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = OpenConnection();
        return connection.Scalar(sql, null, parameters);
    }

    /// <summary>A count query's result, or -1 while the store or its tables are not there yet (a process still starting).</summary>
    public long CountOrMinusOne(string sql)
    {
        if (FilePath is not null && !File.Exists(FilePath))
        {
            return -1;
        }

        try
        {
            return Scalar(sql) is long n ? n : -1;
        }
        catch (DbException)
        {
            return -1;
        }
    }

    /// <summary>Lets go of pooled connections so the folder can be deleted (SQLite) or the database dropped.</summary>
    public static void ClearPools()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}
