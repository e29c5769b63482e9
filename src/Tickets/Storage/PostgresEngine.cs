using System.Data.Common;
using Npgsql;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// A PostgreSQL database shared by any number of gateway nodes. Connections come from one pooled
/// <see cref="NpgsqlDataSource"/> (multi-host strings with <c>Target Session Attributes</c> follow a
/// promoted standby); statements used again and again are prepared on the server automatically.
/// Schema steps are serialised across nodes by an advisory lock.
/// </summary>
internal sealed class PostgresEngine : StoreEngine
{
    // pg_advisory_lock key of the schema steps: "tgw" plus 1, any fixed number works if nothing else uses it.
    private const long SchemaLockKey = 0x746777_01;

    private readonly NpgsqlDataSource _source;
    private readonly bool _createIfMissing;

    public PostgresEngine(StorageOptions options, bool createIfMissing)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreException($"Storage:ConnectionString is not a valid PostgreSQL connection string (Npgsql's format, e.g. \"Host=db1;Database=ticketgw;Username=ticketgw\"): {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new StoreException("Storage:ConnectionString names no PostgreSQL host (Host=...).");
        }

        // Prepared, reused statements on the hot write paths, as SQLite's command cache gives.
        if (!options.ConnectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!options.ConnectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 5;
        }

        builder.CommandTimeout = Math.Max(builder.CommandTimeout, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        _createIfMissing = createIfMissing;
        Description = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        // The store uses PostgreSQL's built-in types only (bigint, integer, double, boolean, text, bytea, text[]),
        // which Npgsql knows without asking: type loading (a pg_type query at each process's first connection)
        // is off. About 30 ms less per CLI command, and less server work.
        var sourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        sourceBuilder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        _source = sourceBuilder.Build();
    }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override string Description { get; }

    public override DbConnection Open() => _source.OpenConnection();

    public override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction();

    public override void CheckOpened(DbConnection connection)
    {
        var exists = connection.Scalar("SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL") is not null;
        if (exists)
        {
            return;
        }

        if (!_createIfMissing)
        {
            throw new StoreException($"The PostgreSQL database {Description} (Storage:ConnectionString) holds no ticket store; run 'ticketgw init' to create it.");
        }

        Created = true;
    }

    public override IDisposable LockSchema(DbConnection connection)
    {
        connection.Execute("SELECT pg_advisory_lock(@k)", null, ("@k", SchemaLockKey));
        return new SchemaLock(connection);
    }

    public override string Describe(Exception exception) => exception switch
    {
        PostgresException { SqlState: "28P01" or "28000" } =>
            $"The PostgreSQL database {Description} (Storage:ConnectionString) refused the login: {exception.Message}",
        PostgresException { SqlState: "3D000" } =>
            $"The PostgreSQL database {Description} (Storage:ConnectionString) does not exist; create it first (CREATE DATABASE).",
        _ when Dialect.IsUnavailable(exception) || exception is NpgsqlException { InnerException: not null } =>
            $"The PostgreSQL database {Description} (Storage:ConnectionString) cannot be reached: {exception.Message}",
        _ => $"The PostgreSQL database {Description} (Storage:ConnectionString) cannot be used: {exception.Message}",
    };

    public override void Dispose()
    {
        _source.Dispose();
        base.Dispose();
    }

    private sealed class SchemaLock(DbConnection connection) : IDisposable
    {
        public void Dispose()
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                connection.Execute("SELECT pg_advisory_unlock(@k)", null, ("@k", SchemaLockKey));
            }
        }
    }
}
