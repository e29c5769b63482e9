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

    // The connection a CLI command's warm-up is opening (WarmUp), for the first engine built with the same settings.
    private static readonly Lock WarmLock = new();
    private static WarmConnection? s_warm;

    private readonly NpgsqlDataSource _source;
    private readonly bool _createIfMissing;
    private Task<NpgsqlConnection>? _firstConnection;

    public PostgresEngine(StorageOptions options, bool createIfMissing)
    {
        var builder = Settings(options);
        _createIfMissing = createIfMissing;
        Description = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        var warm = TakeWarm(builder.ConnectionString);
        _source = warm?.Source ?? Build(builder.ConnectionString);
        _firstConnection = warm?.Connection;
    }

    /// <summary>
    /// Starts opening the store's first connection on another thread, while the caller's own start-up goes
    /// on: a CLI command overlaps the connection (the server's new process, authentication, and the
    /// driver's own first-use cost, about 60 ms) with building its host. The engine then built from the same
    /// settings takes that connection as its first, with whatever error opening it met, so nothing is
    /// opened twice and an unreachable database is reported as before. Settings that are not valid are left
    /// for the engine to report.
    /// </summary>
    public static void WarmUp(StorageOptions options)
    {
        string connectionString;
        try
        {
            connectionString = Settings(options).ConnectionString;
        }
        catch (StoreException)
        {
            return;
        }

        var source = Build(connectionString);
        var connection = Task.Run(() =>
        {
            var opened = source.OpenConnection();
            try
            {
                // One statement too, so the driver's query path is compiled before the engine's first one.
                opened.Scalar("SELECT 1");
                return opened;
            }
            catch
            {
                opened.Dispose();
                throw;
            }
        });
        lock (WarmLock)
        {
            s_warm = new WarmConnection(connectionString, source, connection);
        }
    }

    /// <summary>Closes the warm-up's connection if no engine took it (a command that needed no store).</summary>
    public static void ForgetWarmUp() => TakeWarm(connectionString: null);

    private static WarmConnection? TakeWarm(string? connectionString)
    {
        WarmConnection? warm;
        lock (WarmLock)
        {
            warm = s_warm;
            s_warm = null;
        }

        if (warm is null || string.Equals(warm.ConnectionString, connectionString, StringComparison.Ordinal))
        {
            return warm;
        }

        // Not this engine's (other settings, or none).
        CloseWhenOpened(warm.Connection, warm.Source);
        return null;
    }

    // Closes a warm-up connection nobody took once it has opened (or failed to), and then its source if given
    // (disposing a source does not close a connection it gave out).
    private static void CloseWhenOpened(Task<NpgsqlConnection> connection, NpgsqlDataSource? source) =>
        _ = connection.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }

                source?.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);

    private static NpgsqlDataSource Build(string connectionString)
    {
        // The store uses PostgreSQL's built-in types only (bigint, integer, double, boolean, text, bytea, text[]),
        // which Npgsql knows without asking: type loading (a pg_type query at each process's first connection)
        // is off. About 30 ms less per CLI command, and less server work.
        var sourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        sourceBuilder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        return sourceBuilder.Build();
    }

    private static NpgsqlConnectionStringBuilder Settings(StorageOptions options)
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
        return builder;
    }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override string Description { get; }

    public override DbConnection Open()
    {
        // The warm-up's connection, once; its error, if opening failed, is this open's.
        if (Interlocked.Exchange(ref _firstConnection, null) is { } first)
        {
            return first.GetAwaiter().GetResult();
        }

        return _source.OpenConnection();
    }

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
        if (Interlocked.Exchange(ref _firstConnection, null) is { } unused)
        {
            // Never asked for; the source is disposed below.
            CloseWhenOpened(unused, source: null);
        }

        _source.Dispose();
        base.Dispose();
    }

    private sealed record WarmConnection(string ConnectionString, NpgsqlDataSource Source, Task<NpgsqlConnection> Connection);

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
